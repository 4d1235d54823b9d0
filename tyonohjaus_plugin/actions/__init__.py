"""One module per operation: check → do → audit log → signal."""
