// Follows a card top-up until the bank's answer is in: asks the page's own status address every
// two seconds (at most five minutes) and updates the status and balance, which a screen reader
// announces (aria-live). Without JavaScript the page's "Check again" link does the same.
(function () {
  const box = document.querySelector<HTMLElement>('[data-deposit-status]');
  if (!box) return;
  const url = box.getAttribute('data-deposit-status');
  if (!url || box.getAttribute('data-final') === 'true') return;
  let tries = 0;
  const tick = (): void => {
    tries += 1;
    void fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then(
        (s: { status: string; statusText: string; balanceText: string; final: boolean } | null) => {
          if (!s) return;
          const status = box.querySelector<HTMLElement>('[data-field="status"]');
          const balance = box.querySelector<HTMLElement>('[data-field="balance"]');
          if (status && status.textContent !== s.statusText) {
            status.textContent = s.statusText;
            status.className = 'status ' + s.status;
          }
          if (balance && balance.textContent !== s.balanceText) balance.textContent = s.balanceText;
          if (s.final) box.setAttribute('data-final', 'true');
        },
      )
      .catch(() => undefined)
      .then(() => {
        if (box.getAttribute('data-final') !== 'true' && tries < 150) setTimeout(tick, 2000);
      });
  };
  setTimeout(tick, 1000);
})();
