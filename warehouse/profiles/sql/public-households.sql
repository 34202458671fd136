CREATE OR REPLACE VIEW public.households AS
SELECT h.household_id, h.customer_id, h.role, h.address_key,
       c.full_name, c.address, c.postcode, c.city, c.country, c.systems, c.is_deleted
FROM core.dim_household h
LEFT JOIN core.dim_customer c ON c.customer_id = h.customer_id;

COMMENT ON VIEW public.households IS 'Customers living together (same address), one row per member; a household has two or more.';
COMMENT ON COLUMN public.households.household_id IS 'Household key.';
COMMENT ON COLUMN public.households.customer_id IS 'Member of the household.';
COMMENT ON COLUMN public.households.role IS 'Role of the member in the household, as identity assigned it.';
COMMENT ON COLUMN public.households.address_key IS 'Normalised address the members share.';
COMMENT ON COLUMN public.households.full_name IS 'Name of the member (golden record).';
COMMENT ON COLUMN public.households.address IS 'Street address of the member (golden record).';
COMMENT ON COLUMN public.households.postcode IS 'Postal code of the member.';
COMMENT ON COLUMN public.households.city IS 'City of the member.';
COMMENT ON COLUMN public.households.country IS 'Country of the member.';
COMMENT ON COLUMN public.households.systems IS 'Systems that know the member: what the household already buys from us.';
COMMENT ON COLUMN public.households.is_deleted IS 'The member is no longer in any system.';
