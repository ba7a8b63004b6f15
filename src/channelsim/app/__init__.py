"""`channelsim serve`: a web explorer of the levers, a FastAPI JSON API and one static page."""
