"""Matching: the pure engine (``engine``), the round's problem built from the models
(``problem``), reasons in the reader's language (``reasons``) and HR's board (``views``).

``python -m tyonohjaus_plugin.matching solve|check`` runs the engine's command line.
"""
