"""The regulation as an official document: HTML with Graphviz flowcharts, printed to PDF."""
