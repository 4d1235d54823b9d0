"""The admin registration of the data-protection screens."""
