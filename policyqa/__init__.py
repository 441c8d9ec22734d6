"""policyqa: cited question answering over Chinese science-popularization policy documents."""

__version__ = "0.1.0"
