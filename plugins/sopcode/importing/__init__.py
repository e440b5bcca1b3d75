"""Importing SOPs that institutions already keep as Word (.docx, .doc) and Excel (.xlsx) files.

The flow, one way, like the rest of the package:

    file ──package.py──▶ safe parts (zip limits, no entities, no external links, no macros run)
         ──docx.py / xlsx.py──▶ pages: neutral tables, shapes and lines with their geometry (page.py)
         ──interpret.py──▶ Found: the SOP as YAML-shaped data, what was inferred and why, problems
         ──write.py──▶ one YAML file per SOP found in sop_data/ (never overwriting), then `sop check`

Readers know their file format and nothing of the regulation; ``interpret`` knows the regulation's
form (identity labels, the six boxes, the procedure table's columns, the five symbols) and nothing of
file formats. The words of the form are Indonesian (pelaksana, langkah, mutu_baku); the rest English.
"""
