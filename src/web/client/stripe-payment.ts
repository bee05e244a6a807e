// Production only: Stripe's Payment Element takes the card (its data never reaches our server);
// Stripe sends the browser back to the deposit's status page. Loaded after https://js.stripe.com/v3/.
interface StripeElements {
  create(kind: 'payment'): { mount(el: Element): void };
}
interface StripeInstance {
  elements(o: { clientSecret: string; locale?: string }): StripeElements;
  confirmPayment(o: {
    elements: StripeElements;
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}
declare const Stripe: ((key: string) => StripeInstance) | undefined;

(function () {
  const form = document.getElementById('stripe-payment') as HTMLFormElement | null;
  if (!form || typeof Stripe === 'undefined') return;
  const key = form.dataset.publishableKey ?? '';
  const clientSecret = form.dataset.clientSecret ?? '';
  const returnUrl = new URL(form.dataset.returnUrl ?? '/', window.location.href).href;
  const stripe = Stripe(key);
  const elements = stripe.elements({
    clientSecret,
    locale: form.dataset.locale === 'kk' ? 'auto' : form.dataset.locale,
  });
  const mount = document.getElementById('payment-element');
  if (mount) {
    mount.textContent = '';
    elements.create('payment').mount(mount);
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } }).then((r) => {
      const box = document.getElementById('payment-error');
      if (r.error && box) box.textContent = r.error.message ?? '';
    });
  });
})();
