"""prompts stage."""
