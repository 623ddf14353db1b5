"""Build plugins and checks for the Cuban Missile Crisis essay."""
