"""anjuan: case-file review for 城管执法监督."""
__version__ = "0.1.0"
