"""What the office's exports share (审核记录, 来信汇总, 审计日志, 答卷, and every later report):
the .xlsx table layout and the formula guard (``tables``), and the period form of the period
reports (``forms``). A domain app says what its export holds; how a table is laid out is here."""
