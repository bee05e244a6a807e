import type { Browser, Page } from 'playwright-core';
import { NOW } from '../support/long-visits';
import { API, RELATIVE_PASSWORD, TestApp, uniq } from '../support/test-app';
import { axe, axeReport, coldWeight, cspViolations, launch, phone, shot, tabTo } from './browser';

const skipped = process.env.BROWSER_TESTS_SKIPPED;
const suite = skipped ? describe.skip : describe;

/** Every page is checked with axe and photographed, in the order of the steps. */
async function step(page: Page, name: string): Promise<void> {
  const serious = await axe(page, `${name} (${page.url().replace(/^https?:\/\/[^/]+/, '')})`);
  expect({ page: name, serious }).toEqual({ page: name, serious: [] });
  await shot(page, name);
}

suite('the relatives’ page in a real browser (Debian Chromium, a phone)', () => {
  let t: TestApp;
  let browser: Browser;
  let facilityId: string;
  let facilityName: string;
  const weights: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    t.setNow(NOW);
    facilityName = `Колония ${uniq('EC-')}`;
    const f = await t.createFacility({ name: facilityName });
    facilityId = f.id;
    for (const name of ['Room 1', 'Room 2']) {
      await t.http
        .post(`${API}/facilities/${facilityId}/visit-rooms`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ name, capacity: 4 })
        .expect(201);
    }
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    const worst = axeReport.flatMap((r) =>
      r.violations.map((v) => `${r.page}: ${v.id} (${v.impact})`),
    );
    console.log(
      [
        `axe-core on ${axeReport.length} pages: ${worst.length ? worst.join('; ') : 'no violations at all'}`,
        ...weights,
        `screenshots: test-artifacts/browser/`,
      ].join('\n'),
    );
    await t?.close();
  });

  afterEach(() => {
    expect({ cspViolations }).toEqual({ cspViolations: [] });
  });

  async function personalNumberOf(prisonerId: string): Promise<string> {
    const p = await t.http
      .get(`${API}/prisoners/${prisonerId}`)
      .auth(t.adminToken, { type: 'bearer' });
    return p.body.personalNumber as string;
  }

  it('registers, asks for a link, books a 3-day visit, sees its documents, cancels it; tops up the card (Russian)', async () => {
    const prisoner = await t.createPrisoner(facilityId, { fullName: 'Серик Ахметов' });
    const number = await personalNumberOf(prisoner.id);
    const context = await phone(browser, 'ru-RU');
    const page = await context.newPage();
    const email = `${uniq('browser').toLowerCase()}@example.kz`;

    await page.goto(t.baseUrl);
    await page.locator('html[lang="ru"]').waitFor({ state: 'attached' });
    await step(page, 'welcome-ru');

    await page.getByRole('link', { name: 'Создать учётную запись' }).first().click();
    await page.getByLabel('Фамилия, имя, отчество').fill('Айгерим Ахметова');
    await page.getByLabel('Адрес электронной почты').fill(email);
    await page.getByLabel('Номер мобильного телефона').fill('+7 701 123 45 67');
    await page.getByLabel('Пароль').fill('short');
    await page.getByRole('button', { name: 'Создать учётную запись' }).click();
    await page.getByRole('alert').filter({ hasText: 'Выберите более длинный' }).waitFor();
    // the error summary takes the focus, so a screen reader reads it at once
    expect(
      await page.evaluate(`document.activeElement && document.activeElement.getAttribute('role')`),
    ).toBe('alert');
    await step(page, 'register-error-ru');
    await page.getByLabel('Пароль').fill(RELATIVE_PASSWORD);
    await page.getByRole('button', { name: 'Создать учётную запись' }).click();
    await page.getByRole('status').filter({ hasText: 'Учётная запись создана' }).waitFor();
    t.secrets.add((await context.cookies()).find((c) => c.name === 'ps_session')!.value);
    await step(page, 'home-new-ru');

    await page.getByRole('link', { name: 'Попросить связать с осуждённым' }).click();
    await page.getByLabel('Учреждение').selectOption({
      label: `${facilityName} (${(await t.http.get(`${API}/facilities/${facilityId}`).auth(t.adminToken, { type: 'bearer' })).body.code})`,
    });
    await page.getByLabel('Личный номер осуждённого').fill(number);
    await page.getByLabel('Кем вам приходится осуждённый?').selectOption('parent');
    await step(page, 'link-form-ru');
    await page.getByRole('button', { name: 'Отправить запрос' }).click();
    await page.getByRole('cell', { name: 'Ожидает решения учреждения' }).waitFor();
    await step(page, 'link-pending-ru');

    // a visits officer approves through the API
    const pending = await t.http
      .get(`${API}/facilities/${facilityId}/links?status=pending`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    await t.http
      .post(`${API}/links/${pending.body.items[0].id}/approve`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({})
      .expect(200);
    await page.reload();
    await page.getByRole('heading', { name: 'Серик Ахметов' }).waitFor();
    await step(page, 'home-linked-ru');

    await page.getByRole('link', { name: 'Забронировать длительное свидание' }).click();
    const weight = await coldWeight(context, page, page.url());
    weights.push(
      `booking page, cold: ${(weight.bytes / 1024).toFixed(1)} KB transferred in ${weight.requests} requests`,
    );
    expect(weight.bytes).toBeLessThan(40 * 1024);
    await step(page, 'booking-calendar-ru');
    await page.getByRole('radio', { name: /16 мар/ }).check();
    await page.getByLabel('ФИО').fill('Айгерим Ахметова');
    await page.getByLabel('Кем приходится осуждённому').selectOption('parent');
    await page.getByRole('button', { name: 'Забронировать свидание' }).click();
    await page.getByRole('status').filter({ hasText: 'Свидание забронировано' }).waitFor();
    const docs = page.getByRole('region', {
      name: 'Документы, которые должен принести каждый посетитель',
    });
    expect(await docs.getByRole('listitem').allInnerTexts()).toEqual([
      'Документ, удостоверяющий личность (удостоверение или паспорт)',
      'Документ, подтверждающий родство (например, свидетельство о рождении или о браке)',
    ]); // the reform: no AIDS-centre certificate
    expect(await page.locator('dl').innerText()).toContain('16 марта 2026');
    await step(page, 'booked-documents-ru');
    const reference = (await page.locator('h1').innerText()).split(' ').pop()!;

    await page.getByRole('link', { name: 'Мои свидания' }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    await step(page, 'visits-list-ru');
    await page.getByRole('button', { name: `Отменить это свидание ${reference}` }).click();
    await page.getByRole('status').filter({ hasText: 'Свидание отменено' }).waitFor();
    expect(await page.locator('.status.cancelled').allInnerTexts()).toEqual(['Отменено']);
    await step(page, 'visit-cancelled-ru');

    await page.getByRole('link', { name: 'Главная' }).click();
    await page.getByRole('link', { name: 'Пополнить карточку' }).click();
    expect(await page.locator('main').innerText()).toMatch(/Сейчас на карточке: 0,00/);
    await step(page, 'top-up-amount-ru');
    await page.getByLabel('Сумма в тенге').fill('5000');
    await page.getByRole('button', { name: 'Перейти к оплате' }).click();
    await page.getByLabel('Номер карты').fill('4242 4242 4242 4242');
    await page.getByLabel('Срок действия (ММ/ГГ)').fill('12/34');
    await page.getByLabel('Код безопасности (CVC)').fill('123');
    await step(page, 'card-form-ru');
    await page.getByRole('button', { name: /Оплатить/ }).click();
    // the status page follows the deposit (deposit-status.js) until the webhook has credited it
    await page
      .getByRole('status')
      .filter({ hasText: 'Оплачено: деньги зачислены на карточку' })
      .waitFor({ timeout: 30_000 });
    await page.locator('[data-field="balance"]', { hasText: /5\s000,00/ }).waitFor();
    await step(page, 'top-up-credited-ru');
    await context.close();
  });

  it('books by keyboard alone, in Kazakh, and cancels', async () => {
    const prisoner = await t.createPrisoner(facilityId, { fullName: 'Ерлан Қасымов' });
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);
    const context = await phone(browser, 'kk-KZ');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.locator('html[lang="kk"]').waitFor({ state: 'attached' });
    await step(page, 'sign-in-kk');
    await tabTo(page, '#email');
    await page.keyboard.type(relative.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(RELATIVE_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ерлан Қасымов' }).waitFor();
    t.secrets.add((await context.cookies()).find((c) => c.name === 'ps_session')!.value);
    await step(page, 'home-kk');

    await tabTo(page, 'a[href^="/visits/book"]');
    await Promise.all([page.waitForURL(/\/visits\/book\?/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').innerText()).toBe('Ұзақ кездесуге жазылу');
    await step(page, 'booking-calendar-kk');
    await tabTo(page, 'input[type="radio"]:not([disabled])');
    // arrows move within the group: the third free date
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const chosen = await page.evaluate(`document.activeElement.value`);
    await tabTo(page, '#visitorName1');
    await page.keyboard.type('Гүлнар Қасымова');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // the first relationship: spouse
    await tabTo(page, '#book-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Кездесуге жазылдыңыз' }).waitFor();
    const docs = page.getByRole('region', { name: 'Әр келуші әкелуге тиіс құжаттар' });
    expect(await docs.getByRole('listitem').allInnerTexts()).toEqual([
      'Жеке басын куәландыратын құжат (жеке куәлік немесе төлқұжат)',
      'Туыстықты растайтын құжат (мысалы, туу немесе неке туралы куәлік)',
    ]);
    const visit = await t.sql<{ start_date: string }>(
      `SELECT to_char(start_date, 'YYYY-MM-DD') AS start_date FROM long_visits WHERE prisoner_id = $1`,
      [prisoner.id],
    );
    expect(visit.map((v) => v.start_date)).toEqual([chosen]);
    await step(page, 'booked-documents-kk');

    await tabTo(page, 'a[href="/visits"]');
    await Promise.all([page.waitForURL(/\/visits$/), page.keyboard.press('Enter')]);
    await step(page, 'visits-list-kk');
    await tabTo(page, 'form[action$="/cancel"] button');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Кездесу тоқтатылды' }).waitFor();
    await step(page, 'visit-cancelled-kk');
    await context.close();
  });
});
