-- What the law needs to know of a customer's contract to choose the late-payment regime:
-- the day it was concluded (Italy: + 7 points before 2013) and whether it supplies agricultural
-- and food products (Italy: + 12 points).
ALTER TABLE customers ADD COLUMN contract_date TEXT;
ALTER TABLE customers ADD COLUMN agri_food INTEGER NOT NULL DEFAULT 0;
