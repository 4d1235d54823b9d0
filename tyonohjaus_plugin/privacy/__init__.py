"""Data protection: the retention policy, anonymisation, erasure on request and subject access."""
