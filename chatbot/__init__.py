"""chatbot stage."""
