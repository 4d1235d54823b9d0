"""HR's data-protection screens: find a person, see and export their data, erase it."""
