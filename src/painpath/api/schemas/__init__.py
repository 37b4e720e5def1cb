"""API schemas per resource: Create (what a client sends), Update, Public (what is returned)."""
