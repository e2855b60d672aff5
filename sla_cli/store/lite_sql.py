"""The sqlite3 adapter's queries (``store.lite``): each the SQL the SQLModel store's query
compiles to on SQLite, or its equivalent, so that the two adapters read the same facts."""

_CONTRACT_ON = """
SELECT c.* FROM contracts c
WHERE c.client_id = :client AND c.start <= :on
  AND NOT EXISTS (SELECT 1 FROM contract_changes x WHERE x.contract_id = c.id AND x.kind = 'cancel')
  AND coalesce((SELECT x."end" FROM contract_changes x WHERE x.contract_id = c.id
                AND x.kind = 'end' ORDER BY x.id DESC LIMIT 1), c."end", '9999-12-31') > :on
ORDER BY c.start DESC LIMIT 1
"""
_ENTRY = "SELECT e.*, c.key AS client_key FROM entries e JOIN clients c ON c.id = e.client_id"
_LAST_WORK = f"""{_ENTRY}
WHERE e."by" = ? AND e.type = 'work'
  AND e.id NOT IN (SELECT reverses FROM entries WHERE reverses IS NOT NULL)
ORDER BY e.id DESC LIMIT 1
"""
_BALANCE = """
SELECT CAST(strftime('%Y', "on") AS INTEGER), CAST(strftime('%m', "on") AS INTEGER),
  sum(CASE WHEN category IN ('topup', 'overage') THEN minutes
           WHEN category = 'work' THEN -minutes ELSE 0 END)
FROM entries WHERE contract_id = :contract AND "on" >= :since AND "on" < :before
GROUP BY 1, 2
"""
_RUNNING = """
SELECT t.*, c.key AS client_key FROM timers t JOIN clients c ON c.id = t.client_id
WHERE NOT EXISTS (SELECT 1 FROM timer_ends x WHERE x.timer_id = t.id)
  AND (:by IS NULL OR t."by" = :by)
ORDER BY t.started_at, t.id
"""
_LIVE = """EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id AND e.kind = '{kind}'
  AND NOT EXISTS (SELECT 1 FROM incident_events u WHERE u.undoes = e.id){also})"""
_REOPENED = """ AND NOT EXISTS (SELECT 1 FROM incident_events o WHERE o.incident_id = e.incident_id
  AND o.kind = 'reopen' AND o.id > e.id
  AND NOT EXISTS (SELECT 1 FROM incident_events v WHERE v.undoes = o.id))"""
_LATEST = f"""
SELECT i.id FROM incidents i WHERE i.ticket = :ticket AND i.client_id = :client
  AND NOT {_LIVE.format(kind="cancel", also="")}
  AND (NOT :open OR NOT {_LIVE.format(kind="resolve", also=_REOPENED)})
ORDER BY i.opened_at DESC, i.id DESC LIMIT 1
"""
# When work on the incident's ticket began: hours logged that count, or a timer still running,
# after the opening (``store.incidents._first_work``, the same conditions).
_FIRST_WORK = """
SELECT
 (SELECT min(coalesce(e.started_at, e.created_at)) FROM entries e
  WHERE e.ticket = i.ticket AND e.client_id = i.client_id AND e.type = 'work'
    AND (e.created_at >= i.created_at OR coalesce(e.started_at, e.created_at) >= i.opened_at)
    AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.id)) AS logged_at,
 (SELECT min(t.started_at) FROM timers t
  WHERE t.ticket = i.ticket AND t.client_id = i.client_id
    AND (t.created_at >= i.created_at OR t.started_at >= i.opened_at)
    AND NOT EXISTS (SELECT 1 FROM timer_ends x WHERE x.timer_id = t.id)) AS timer_at
FROM incidents i WHERE i.id = ?
"""


_OPEN_TICKETS = """
SELECT DISTINCT i.ticket FROM incidents i
WHERE i.ticket LIKE :prefix ESCAPE '\\' AND NOT EXISTS (
  SELECT 1 FROM incident_events e
  WHERE e.incident_id = i.id AND e.kind IN ('resolve', 'cancel')
    AND NOT EXISTS (SELECT 1 FROM incident_events u WHERE u.undoes = e.id)
    AND NOT EXISTS (
      SELECT 1 FROM incident_events o
      WHERE o.incident_id = i.id AND o.kind = 'reopen' AND o.id > e.id
        AND NOT EXISTS (SELECT 1 FROM incident_events v WHERE v.undoes = o.id)))
ORDER BY i.ticket LIMIT 200
"""
_KEYS = "SELECT key FROM clients WHERE key LIKE :prefix ESCAPE '\\' ORDER BY key LIMIT 200"

_CHANGES = "SELECT * FROM contract_changes WHERE contract_id = ? ORDER BY id"

# An engineer's work on one date that counts: not voided (a void's author is whoever voided)
_DAY_MINUTES = """
SELECT coalesce(sum(w.minutes), 0) FROM entries w WHERE w.by = ? AND w."on" = ?
AND w.type = 'work' AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = w.id)
"""
