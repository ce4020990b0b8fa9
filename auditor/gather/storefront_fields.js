// The fields a checkout step shows, for `cx-audit init --from-url`: visible, enabled and
// still empty, with what identifies them (name, autocomplete, type, label) so the caller
// can choose test data. Radio groups come once, with whether one is already chosen.
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const labelOf = (el) => {
    if (el.labels && el.labels.length) return el.labels[0].innerText.trim();
    return (el.getAttribute('aria-label') || el.placeholder || '').trim();
  };
  const q = (s) => JSON.stringify(s);
  const selectorOf = (el) => {
    const tag = el.tagName.toLowerCase();
    if (el.name) return el.type === 'radio' ? `input[name=${q(el.name)}]` : `${tag}[name=${q(el.name)}]`;
    if (el.id) return '#' + CSS.escape(el.id);
    return null;
  };
  const out = [];
  const radios = new Set();
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.type || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'image', 'reset', 'file', 'search'].includes(type)) continue;
    if (el.disabled || el.readOnly) continue;
    if (el.closest('[role=search], header form, nav form')) continue;
    if (/^(q|s|search|query)$/i.test(el.name || '')) continue;
    const sel = selectorOf(el);
    if (!sel) continue;
    if (type === 'radio') {
      if (radios.has(el.name)) continue;
      radios.add(el.name);
      const group = [...document.getElementsByName(el.name)];
      const shown = group.find((r) => visible(r) || (r.labels && [...r.labels].some(visible)));
      if (!shown) continue;
      out.push({ selector: `input[name=${q(el.name)}][value=${q(shown.value)}]`, name: el.name, type, label: labelOf(shown),
        required: group.some((r) => r.required), empty: !group.some((r) => r.checked), autocomplete: '' });
      continue;
    }
    if (!visible(el) && !(type === 'checkbox' && el.labels && [...el.labels].some(visible))) continue;
    const options = el.tagName === 'SELECT' ? [...el.options].map((o) => o.value).filter((v) => v) : [];
    out.push({
      selector: sel, name: el.name || el.id || '', type: el.tagName === 'SELECT' ? 'select' : (el.tagName === 'TEXTAREA' ? 'textarea' : type || 'text'),
      label: labelOf(el).slice(0, 80), required: el.required || el.getAttribute('aria-required') === 'true',
      empty: type === 'checkbox' ? !el.checked : !el.value, autocomplete: el.getAttribute('autocomplete') || '', options: options.slice(0, 300),
    });
  }
  const h = [...document.querySelectorAll('h1, h2')].find(visible);
  return { fields: out, heading: h ? h.innerText.trim().replace(/\s+/g, ' ').slice(0, 80) : '' };
}
