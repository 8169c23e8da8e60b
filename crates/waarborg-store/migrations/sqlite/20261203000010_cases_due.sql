-- The case queue and the API list open cases soonest due first, one page at a time: this index
-- lets them read only the page (with the status filtered on the way) instead of sorting every
-- open case.
CREATE INDEX cases_due ON cases (due_at, id);
