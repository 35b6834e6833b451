"""What changed between two versions of a regulation, who it touches, and how to retrain.

``diff`` compares items by content hash (``regulation/items.py``); ``impact`` finds the
questions, drills and workbooks that change; ``learners`` asks the gradebook who learned the
old version; ``notebooks`` builds the "what changed" workbook and the re-test.
"""
