"""Synthetic datasets (合成数据): invented counties, catalogs, laws and cases in the loaders' formats.

`authreg synth` writes them; `authreg load` reads them back. Every name, code, law and case is
invented; the shapes (headers, legal-basis cells, notices, YAML) follow data/sample and
data/real-catalogs.
"""
