"""indicators: check community-services census data against civil-affairs planning targets."""

__version__ = "0.1.0"
