"""The regulation's two file forms, read with every value's position: strict YAML (yamlread, yamlscalars) and the Excel workbook (workbook, with tables laying the data out as sheets)."""
