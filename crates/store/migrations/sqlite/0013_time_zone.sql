-- The organisation's time zone (IANA name): what day it is for its runs, messages and work
-- list. NULL: the usual zone of its country.
ALTER TABLE organisations ADD COLUMN time_zone TEXT;
