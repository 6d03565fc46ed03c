"""备份与恢复 (issue 6, item 8; 等保 2.0 "数据备份恢复"): one archive holds the database and every
stored file with a manifest and checksums (``manage.py backup``), and rebuilds a fresh instance
(``manage.py restore``). See docs/backup.md.
"""
