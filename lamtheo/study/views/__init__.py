"""Study pages: sessions and attendance, reflections, statistics (one module each)."""
