export const RELATIONSHIPS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'guardian',
  'other',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const LINK_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
