// The console's passkey ceremonies, its only script (the CSP allows no inline one). Forms marked data-passkey
// ("create" to add a passkey, "get" to sign in with one) post as usual without it, and the console then says a
// passkey needs this script. With it: fetch the options (the antiforgery token in a header), ask the browser for the
// passkey, put its answer in the form's "credential" field as JSON, and post the form.
(() => {
  'use strict';
  if (window.blogPasskeys) return;
  window.blogPasskeys = true;

  const toBytes = text => {
    let s = text.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    return Uint8Array.from(atob(s), c => c.charCodeAt(0));
  };
  const fromBytes = buffer => {
    let s = '';
    for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  // WebIDL refuses null where it expects an enum or a list: leave such members out instead.
  const withoutNulls = value => {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value === null || typeof value !== 'object') return value;
    const copy = {};
    for (const [key, member] of Object.entries(value)) if (member !== null) copy[key] = withoutNulls(member);
    return copy;
  };
  const descriptors = list => (list || []).map(c => ({ ...c, id: toBytes(c.id) }));

  const creation = o => ({ ...o, challenge: toBytes(o.challenge), user: { ...o.user, id: toBytes(o.user.id) }, excludeCredentials: descriptors(o.excludeCredentials) });
  const request = o => ({ ...o, challenge: toBytes(o.challenge), allowCredentials: descriptors(o.allowCredentials) });

  const answer = credential => {
    const r = credential.response;
    const response = { clientDataJSON: fromBytes(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = fromBytes(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = fromBytes(r.authenticatorData);
      response.signature = fromBytes(r.signature);
      if (r.userHandle) response.userHandle = fromBytes(r.userHandle);
    }
    return JSON.stringify({
      id: credential.id, rawId: fromBytes(credential.rawId), type: credential.type, response,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    });
  };

  const options = async form => {
    const token = form.querySelector('input[name="__RequestVerificationToken"]');
    const reply = await fetch(form.dataset.options, {
      method: 'POST', credentials: 'same-origin', headers: { RequestVerificationToken: token ? token.value : '' },
    });
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) throw new Error(body.error || `The console refused (${reply.status}). Reload the page and try again.`);
    return withoutNulls(body);
  };

  const run = async form => {
    const o = await options(form);
    const credential = form.dataset.passkey === 'create'
      ? await navigator.credentials.create({ publicKey: creation(o) })
      : await navigator.credentials.get({ publicKey: request(o) });
    if (!credential) throw new Error('No passkey was given.');
    form.elements.credential.value = answer(credential);
    form.submit();
  };

  const say = (form, message) => {
    const place = form.querySelector('[data-passkey-error]');
    if (!place) return;
    place.textContent = message;
    place.hidden = !message;
  };

  for (const form of document.querySelectorAll('form[data-passkey]')) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(form, 'This browser has no passkeys.');
      continue;
    }
    form.addEventListener('submit', event => {
      event.preventDefault();
      say(form, '');
      const button = form.querySelector('button');
      if (button) button.disabled = true;
      run(form).catch(e => {
        if (button) button.disabled = false;
        say(form, e && e.name === 'NotAllowedError' ? 'The passkey prompt was closed or timed out. Try again.' : (e && e.message) || String(e));
      });
    });
  }
})();
