/**
 * Demo people and who holds which role. The first person is the one the Agents Playground chats as, so a newcomer
 * sees their own reminder; Lynne Robbins (Quality Assurance) gets a Playground of her own to sign tasks off.
 * Megan Bowen also reviews, so segregation of duties shows on her own tasks; Isaiah Langer does second-line sampling. Some register roles are left unmapped on purpose ("CM / HP", "Various"…): PlanPulse
 * must report them rather than drop their tasks.
 */
export const DEMO_TENANT_ID = '8d4b2f5e-1c3a-4e7b-9f60-2a5d7c9e1b34';

export interface DemoPerson {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle: string;
  roles: string[];
  managerId?: string;
}

const upn = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@planpulse-demo.invalid`;

export const DEMO_PEOPLE: DemoPerson[] = [
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c01', displayName: 'Alex Wilber', userPrincipalName: upn('Alex Wilber'), jobTitle: 'Group Manager, Community Safety',
    roles: ['GM Community Safety', 'SM Community Safety', 'Assistant Director, Prevention and Protection'], managerId: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c06' },
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c02', displayName: 'Megan Bowen', userPrincipalName: upn('Megan Bowen'), jobTitle: 'HR Manager',
    roles: ['HR Manager', 'Head of L&D', 'I & OD', 'Assistant Director, Human Resources', 'Quality Assurance'], managerId: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c06' },
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c03', displayName: 'Adele Vance', userPrincipalName: upn('Adele Vance'), jobTitle: 'ICT Manager',
    roles: ['ICT Manager', 'Head of ICT', 'Planning and Performance Manager', 'Digital Transformation Manager'] },
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c04', displayName: 'Isaiah Langer', userPrincipalName: upn('Isaiah Langer'), jobTitle: 'Area Manager, Service Assurance',
    roles: ['Corporate Risk & Resilience', 'Operational Risk', 'GM Fire Protection', 'Assistant Director, Response', 'Assistant Director, Prevention, Protection and Response Delivery', 'Business Assurance'] },
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c05', displayName: 'Patti Fernandez', userPrincipalName: upn('Patti Fernandez'), jobTitle: 'EDI Lead',
    roles: ['EDI', 'ACO Service Delivery', 'ACFO Service Delivery', 'Assistant Director, Finance'] },
  { id: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c06', displayName: 'Lynne Robbins', userPrincipalName: upn('Lynne Robbins'), jobTitle: 'Quality Assurance Lead',
    roles: ['Quality Assurance', 'Assistant Director, Performance, and Improvement'] },
];

/** Tasks whose owner is set as a person (not only a role), as lists migrated from Excel often end up. */
export const DEMO_PERSON_OWNED_ROLES: Record<string, string> = { 'ICT Manager': 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c03' };

export const DEMO_PLAN_LEAD_ROLE = 'Business Assurance';
