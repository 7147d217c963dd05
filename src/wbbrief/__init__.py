"""wbbrief: public-opinion evidence on security in the Western Balkans, in the terminal and as a PDF brief."""

__version__ = "0.1.0"
