import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '../packages/web/src/i18n/errors.en.ts';
import { addMember, centralClient, centralSql, invitationToken, newEmail, tokenForApiKey, type CentralClient, type Owner } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { axeViolations, emailedLink, expectNoAxeViolations, optionsOf, rowWith, signIn, signUpWithOrganization, uniqueName, useSession } from './team-ui.ts';

/**
 * The team pages of an organization in a real browser: members and invitations, an invitation
 * link, API keys and the audit log. Each test has its own organization (through the pages, or
 * through the API when the pages are not what it tests).
 */
let keel: TestKeel;
let client: CentralClient;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
  client = centralClient(keel);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-041 inviting a colleague', () => {
  it('WEB-041 WEB-040 an owner invites by email; the colleague signs up from the emailed link in another browser, accepts, and sees the team without admin controls', async () => {
    const owner = await browser.page();
    const organizationName = uniqueName('Team');
    const slug = await signUpWithOrganization(owner, { name: 'Olivia Owner', email: newEmail() }, organizationName);
    const colleague = newEmail();

    await openMembers(owner, slug);
    expect(await optionsOf(owner, 'Role')).toEqual(['Member', 'Admin', 'Owner']);
    await owner.getByLabel('Email').fill(colleague);
    await owner.getByRole('button', { name: 'Send the invitation' }).click();
    await owner.getByRole('status').getByText(`Invitation sent to ${colleague}.`).waitFor();
    await rowWith(owner, colleague).getByText('Member', { exact: true }).waitFor();

    const guest = await browser.newPage();
    await guest.goto(await emailedLink(client, colleague, '/invitations/accept'));
    await guest.getByText(`You are invited to join ${organizationName} as Member. The invitation is for ${colleague}.`).waitFor();
    expect(await guest.getByLabel('Email').inputValue()).toBe(colleague);
    await guest.getByLabel('Name').fill('Colin Colleague');
    await guest.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await guest.getByRole('button', { name: 'Create the account' }).click();
    await guest.getByRole('button', { name: 'Accept the invitation' }).click();
    await guest.waitForURL(`**/t/${slug}/stores`);
    expect(await guest.getByLabel('Organization', { exact: true }).locator('option:checked').textContent()).toBe(organizationName);

    await guest.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' }).click();
    await rowWith(guest, colleague).getByText('Member', { exact: true }).waitFor();
    await rowWith(guest, 'Olivia Owner').getByText('Owner', { exact: true }).waitFor();
    await guest.getByText('No invitation is waiting for an answer.').waitFor();
    expect(await guest.getByRole('button', { name: /Send the invitation|Change role|Remove|Revoke/ }).count()).toBe(0);
    await guest.getByRole('button', { name: 'Leave the organization' }).waitFor();
    expect(await guest.getByRole('navigation', { name: 'Organization' }).getByRole('link').allTextContents()).not.toContain('API keys');

    await owner.reload();
    await rowWith(owner, 'Colin Colleague').getByText('Member', { exact: true }).waitFor();
    await owner.getByText('No invitation is waiting for an answer.').waitFor();
  });
});

describe('WEB-040 what each role is offered', () => {
  it('WEB-040 WEB-043 an admin changes and removes members (after confirming) but is offered nothing about owners', async () => {
    const owner = await client.newOwner();
    const admin = await addMember(client, owner, 'admin');
    const member = await addMember(client, owner, 'member');
    const page = await browser.page();
    await useSession(page, keel.url, admin.cookie);
    await openMembers(page, owner.organization.slug);

    expect(await optionsOf(page, 'Role')).toEqual(['Member', 'Admin']);
    expect(await rowWith(page, owner.email).getByRole('button').count()).toBe(0);
    expect(await rowWith(page, admin.email).getByRole('button').allTextContents()).toEqual(['Change role']);

    await rowWith(page, member.email).getByRole('button', { name: 'Change role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the role of Test User' });
    expect(await optionsOf(page, 'New role')).toEqual(['Member', 'Admin']);
    await dialog.getByLabel('New role').selectOption('admin');
    await dialog.getByRole('button', { name: 'Save the role' }).click();
    await dialog.waitFor({ state: 'detached' });
    await rowWith(page, member.email).getByText('Admin', { exact: true }).waitFor();

    await rowWith(page, member.email).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove Test User?' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await memberEmails()).toContain(member.email);
    await rowWith(page, member.email).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove Test User?' }).getByRole('button', { name: 'Remove from the organization' }).click();
    await rowWith(page, member.email).waitFor({ state: 'detached' });
    expect(await memberEmails()).toEqual([owner.email, admin.email]);

    async function memberEmails(): Promise<string[]> {
      const response = await client.central('GET', `/organizations/${owner.organization.id}/members`, { cookie: owner.cookie });
      return ((await response.json()) as { items: { email: string }[] }).items.map((item) => item.email);
    }
  });

  it('WEB-043 the last owner leaving is told, in words, that the organization needs an owner, and stays', async () => {
    const owner = await client.newOwner();
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await openMembers(page, owner.organization.slug);
    await page.getByRole('button', { name: 'Leave the organization' }).click();
    const dialog = page.getByRole('dialog', { name: `Leave ${owner.organization.name}?` });
    await dialog.getByRole('button', { name: 'Leave', exact: true }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe(errorsEn.ORG_LAST_OWNER);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await client.myOrganizations(owner.cookie)).map((organization) => organization.role)).toEqual(['owner']);
  });
});

describe('WEB-042 invitation links that no longer work', () => {
  const cases: { name: string; link: (owner: Owner) => Promise<string>; message: string }[] = [
    { name: 'unknown', link: async () => '/invitations/accept?token=not-a-token', message: errorsEn.INVITATION_NOT_FOUND },
    {
      name: 'expired',
      link: async (owner) => {
        const email = await invite(owner);
        await centralSql(keel, 'update invitations set expires_at = $1 where email = $2', [new Date(keel.clock.now().getTime() - 60_000), email]);
        return acceptPath(email);
      },
      message: errorsEn.INVITATION_EXPIRED,
    },
    { name: 'already accepted', link: async (owner) => acceptPath((await addMember(client, owner, 'member')).email), message: errorsEn.INVITATION_ALREADY_ACCEPTED },
  ];

  it.each(cases)('WEB-042 an $name link is told in words, never by its code', async ({ link, message }) => {
    const page = await browser.page();
    await page.goto(await link(await client.newOwner()));
    const alert = page.getByRole('alert');
    expect(await alert.locator('p').first().textContent()).toBe(message);
    expect(await page.locator('main').textContent()).not.toMatch(/INVITATION_[A-Z_]+/);
  });

  it('WEB-042 a visitor signed in with another email is told so and may sign out to continue as the invited one', async () => {
    const owner = await client.newOwner();
    const invited = await invite(owner);
    const stranger = await client.signUp();
    const page = await browser.page();
    await useSession(page, keel.url, stranger.cookie);
    await page.goto(acceptPath(invited));
    expect(await page.getByRole('alert').locator('p').first().textContent()).toBe(errorsEn.INVITATION_EMAIL_MISMATCH);
    await page.getByText(`You are signed in as ${stranger.email}.`).waitFor();
    expect(await page.getByRole('button', { name: 'Accept the invitation' }).count()).toBe(0);
    await page.getByRole('button', { name: `Sign out, to continue as ${invited}` }).click();
    await page.getByRole('button', { name: 'Create the account' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(invited);
  });
});

describe('WEB-044 API keys', () => {
  it('WEB-044 WEB-043 a new key is shown once with a warning and a copy button, works, and after "done" only its prefix is ever shown; revoking it is confirmed', async () => {
    const owner = await client.newOwner();
    const page = await browser.page();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await useSession(page, keel.url, owner.cookie);
    await page.goto(`/t/${owner.organization.slug}/api-keys`);
    await page.getByText('No API keys yet.').waitFor();

    await page.getByLabel('Name').fill('Warehouse sync');
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const panel = page.getByRole('region', { name: 'Your new key “Warehouse sync”' });
    await panel.getByText('It is shown only this once').waitFor();
    const key = await panel.getByLabel('API key').inputValue();
    expect(key).toMatch(/^keel_[\w-]{43}$/);
    await panel.getByRole('button', { name: 'Copy the key' }).click();
    await panel.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    expect((await tokenForApiKey(client, key)).status).toBe(200);

    await panel.getByRole('button', { name: 'I have copied it' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.reload();
    const row = rowWith(page, 'Warehouse sync');
    await row.getByText('Active').waitFor();
    const prefix = (await row.locator('td').nth(1).textContent())!.replace('…', '');
    expect(key.startsWith(prefix)).toBe(true);
    expect(await row.locator('td').allTextContents()).toEqual(['Warehouse sync', `${prefix}…`, 'Admin', 'Test User', expect.any(String), expect.any(String), 'Active', 'Revoke']);
    expect(await page.content()).not.toContain(key);

    await row.getByRole('button', { name: 'Revoke the key Warehouse sync' }).click();
    await page.getByRole('dialog', { name: 'Revoke the key “Warehouse sync”?' }).getByRole('button', { name: 'Revoke the key' }).click();
    await row.getByText('Revoked').waitFor();
    expect((await tokenForApiKey(client, key)).status).toBe(401);
  });
});

describe('WEB-045 the audit log', () => {
  it('WEB-045 shows actions in words, newest first, in the organization’s time zone, and loads older entries', async () => {
    const owner = await client.newOwner({ timezone: 'Asia/Tokyo' });
    await seedOlderEntries(owner, 55);
    keel.clock.advance(1_000);
    const invited = await invite(owner);
    keel.clock.advance(1_000);
    expect((await client.central('POST', `/organizations/${owner.organization.id}/api-keys`, { cookie: owner.cookie, body: { name: 'Nightly export' } })).status).toBe(201);
    keel.clock.advance(1_000);
    const page = await browser.page();
    await signIn(page, owner.email);
    await page.goto(`/t/${owner.organization.slug}/audit`);

    const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await cellsOf(rows.nth(0))).toEqual([expect.any(String), 'Signed in', `Test User (${owner.email})`, expect.stringMatching(/^Chrome on Linux, from /)]);
    expect((await cellsOf(rows.nth(1))).slice(1)).toEqual(['Created an API key', `Test User (${owner.email})`, expect.stringMatching(/^“Nightly export”, Member, keel_/)]);
    expect((await cellsOf(rows.nth(2))).slice(1)).toEqual(['Invited someone', `Test User (${owner.email})`, `${invited} as Member`]);
    expect((await cellsOf(rows.nth(3))).slice(1)).toEqual(['Created the organization', `Test User (${owner.email})`, `“${owner.organization.name}”, at /t/${owner.organization.slug}`]);

    const newest = (await auditFromApi(owner))[0]!;
    expect(await rows.nth(0).locator('time').getAttribute('datetime')).toBe(newest.occurredAt);
    const inTokyo = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(newest.occurredAt));
    expect(await rows.nth(0).locator('td').first().textContent()).toBe(inTokyo);

    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('That is the whole log.').waitFor();
    const renames = (await rows.locator('td:nth-child(4)').allTextContents()).filter((text) => text.startsWith('Name '));
    expect(renames).toEqual(Array.from({ length: 55 }, (_, index) => `Name ${index} → Name ${index + 1}`));
    expect(await rows.count()).toBe(59);

    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('cell', { name: 'Creó una clave de API' }).waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/api_key\.|invitation\.|organization\.|user\./);
  });
});

describe('WEB-049 accessibility of the team pages', () => {
  it('WEB-049 the members page, with an invitation pending and with a confirmation open, has no axe violations', async () => {
    const owner = await client.newOwner();
    await invite(owner);
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await openMembers(page, owner.organization.slug);
    await page.getByRole('button', { name: 'Leave the organization' }).click();
    const dialog = page.getByRole('dialog', { name: `Leave ${owner.organization.name}?` });
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectNoAxeViolations(page, {
      en: () => dialog.waitFor({ state: 'detached' }),
      es: () => page.getByRole('table', { name: 'Invitaciones pendientes' }).waitFor(),
    });
  });

  it('WEB-049 the API keys page, with a new key shown, has no axe violations', async () => {
    const owner = await client.newOwner();
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await page.goto(`/t/${owner.organization.slug}/api-keys`);
    await page.getByLabel('Name').fill('Reporting');
    await page.getByRole('button', { name: 'Create the key' }).click();
    await expectNoAxeViolations(page, {
      en: () => page.getByRole('table', { name: 'API keys' }).getByText('Reporting').waitFor(),
      es: () => page.getByRole('button', { name: 'Copiar la clave' }).waitFor(),
    });
  });

  it('WEB-049 the audit log has no axe violations', async () => {
    const owner = await client.newOwner();
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await page.goto(`/t/${owner.organization.slug}/audit`);
    await expectNoAxeViolations(page, {
      en: () => page.getByRole('cell', { name: 'Created the organization' }).waitFor(),
      es: () => page.getByRole('cell', { name: 'Creó la organización' }).waitFor(),
    });
  });

  it('WEB-049 an invitation link’s page, signed out, has no axe violations', async () => {
    const owner = await client.newOwner();
    const email = await invite(owner);
    const page = await browser.page();
    await page.goto(acceptPath(email));
    await expectNoAxeViolations(page, {
      en: () => page.getByRole('button', { name: 'Create the account' }).waitFor(),
      es: () => page.getByRole('button', { name: 'Crear la cuenta' }).waitFor(),
    });
  });
});

async function openMembers(page: Page, slug: string): Promise<void> {
  await page.goto(`/t/${slug}/members`);
  await page.getByRole('table', { name: 'Members' }).waitFor();
}

/** Invites a new email as a member, through the API; answers the email. */
async function invite(owner: Owner): Promise<string> {
  const email = newEmail();
  const response = await client.central('POST', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie, body: { email, role: 'member' } });
  expect(response.status).toBe(201);
  return email;
}

function acceptPath(email: string): string {
  return `/invitations/accept?token=${encodeURIComponent(invitationToken(client, email))}`;
}

/** `count` renames, a minute apart, before anything the test does through Keel (older than the organization's creation). */
async function seedOlderEntries(owner: Owner, count: number): Promise<void> {
  await centralSql(
    keel,
    `insert into audit_events (organization_id, actor_user_id, action, details, occurred_at)
     select $1, $2, 'organization.renamed', jsonb_build_object('from', 'Name ' || n, 'to', 'Name ' || (n + 1)), $3::timestamptz - make_interval(mins => n + 1)
     from generate_series(0, $4 - 1) as n`,
    [owner.organization.id, owner.userId, keel.clock.now().toISOString(), count],
  );
}

async function auditFromApi(owner: Owner): Promise<{ occurredAt: string }[]> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/audit`, { cookie: owner.cookie });
  return ((await response.json()) as { items: { occurredAt: string }[] }).items;
}

async function cellsOf(row: ReturnType<Page['locator']>): Promise<string[]> {
  return row.locator('td').allTextContents();
}
