-- The last day to pay a message gave (a final demand's), computed once when its action is
-- planned: the letter states it, and no later step of the ladder comes before it.
ALTER TABLE actions ADD COLUMN deadline TEXT;
