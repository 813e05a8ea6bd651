-- Delegation colours from the palette of shared/colors.ts (12 colours, each readable as text on
-- white, ordered to stay apart for colour-blind readers; patterns tell the 13th and later apart).
-- Each delegation gets the colour of its place in the order delegations were added to its group.
UPDATE delegations SET color = (
  SELECT CASE (ranked.n % 12)
    WHEN 0 THEN '#0072b2' WHEN 1 THEN '#7a6a00' WHEN 2 THEN '#b0306e' WHEN 3 THEN '#1b7837'
    WHEN 4 THEN '#8e3a8a' WHEN 5 THEN '#5d3fa6' WHEN 6 THEN '#8a4a1c' WHEN 7 THEN '#c0283c'
    WHEN 8 THEN '#3d6b1f' WHEN 9 THEN '#2f4b8f' WHEN 10 THEN '#b8500b' ELSE '#136f8a'
  END
  FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY id) - 1 AS n FROM delegations) AS ranked
  WHERE ranked.id = delegations.id
);
