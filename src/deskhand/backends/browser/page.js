// deskhand's reader for one web page, installed in an isolated world (page scripts never see it).
// Roles and names come from Blink's own accessibility engine (element.computedRole / computedName,
// enabled by --enable-blink-features=ComputedAccessibilityInfo); states and values from the DOM.
// Elements get ids that live as long as the element; a nonce per document keeps refs of an old page
// from naming an element of the next one.
(() => {
  if (globalThis.__deskhand) return globalThis.__deskhand.nonce;
  const nonce = Math.random().toString(36).slice(2, 10);
  const ids = new WeakMap();
  const byId = new Map();
  let next = 1;
  // What changed since the last read: the whole page (first read, window scroll or resize, too much), or
  // the elements whose subtrees need reading again (mutation targets, event targets).
  let whole = true;
  const touched = new Set();
  // Elements that got a row in the last read: a change is re-read from the nearest of them.
  const reported = new WeakSet();
  const MAX_TOUCHED = 64;
  // The first change after a read calls deskhand's CDP binding (an event on its socket) with a new epoch:
  // while no epoch newer than its last read has arrived, deskhand knows the page is as it read it.
  let epoch = 0;
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    epoch++;
    try { if (typeof globalThis.__deskhandDirty === 'function') globalThis.__deskhandDirty(String(epoch)); } catch (e) {}
  };
  const touch = (target) => {
    announce();
    if (whole) return;
    const el = target && target.nodeType === 1 ? target : target && target.parentElement;
    if (!el || el === document.documentElement || el === document.body || touched.size >= MAX_TOUCHED) whole = true;
    else touched.add(el);
  };
  // The elements a name may come from by attribute (query below), kept until the DOM's elements or
  // attributes change: finding them was half of a query on a 2,600-element page.
  let named = null;
  new MutationObserver((records) => {
    for (const r of records) { if (r.type !== 'characterData') named = null; touch(r.target); }
  })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const kind of ['input', 'change', 'focusin', 'focusout', 'scroll', 'transitionend', 'animationend']) {
    // A scrolled element moves its descendants; a scrolled window moves everything.
    addEventListener(kind, (event) => touch(event.target === document ? null : event.target), true);
  }
  addEventListener('resize', () => { announce(); whole = true; }, true);
  const TRANSPARENT = new Set(['', 'none', 'presentation', 'generic', 'rowgroup', 'LineBreak', 'InlineTextBox']);
  const TEXTUAL = new Set(['text', 'search', 'email', 'tel', 'url', 'password', 'number']);

  // Blink gives computedRole only where an ARIA role exists: a date, time or colour input has none and
  // would vanish from the read like a <div>. Form controls without one get a role from their kind.
  const CONTROL_ROLES = {date: 'Date', 'datetime-local': 'DateTime', month: 'Date', week: 'Date', time: 'InputTime',
                         color: 'ColorWell', file: 'button', range: 'slider'};
  // A table's plain rows and cells (no attributes on them or their parent) get the role Blink gave the first
  // of each in that table: asking Blink for each of 2,000 cells was a fifth of reading a page with a big
  // table. Sampled again at every read.
  let sampled = new WeakMap();
  const plainPart = (el) => (el.tagName === 'TD' || el.tagName === 'TR') && !el.hasAttributes() &&
    el.parentElement !== null && !el.parentElement.hasAttributes();
  const roleOf = (el) => {
    if (plainPart(el)) {
      const table = el.closest('table');
      if (table) {
        let roles = sampled.get(table);
        if (!roles) sampled.set(table, roles = {});
        const known = roles[el.tagName];
        return known !== undefined ? known : (roles[el.tagName] = blinkRole(el));
      }
    }
    return blinkRole(el);
  };
  const blinkRole = (el) => {
    const role = el.computedRole || '';
    if (!TRANSPARENT.has(role)) return role;
    if (el.tagName === 'INPUT') return el.type === 'hidden' ? role : CONTROL_ROLES[el.type] || 'textbox';
    if (el.tagName === 'SELECT') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (el.tagName === 'TEXTAREA') return 'textbox';
    if (el.tagName === 'BUTTON') return 'button';
    return role;
  };

  const idOf = (el) => {
    let id = ids.get(el);
    if (id === undefined) { id = next++; ids.set(el, id); byId.set(id, new WeakRef(el)); }
    return id;
  };
  const element = (id) => { const ref = byId.get(id); const el = ref && ref.deref(); return el && el.isConnected ? el : null; };

  const isEditable = (el) =>
    (el.tagName === 'INPUT' && TEXTUAL.has(el.type)) || el.tagName === 'TEXTAREA' || el.isContentEditable;

  const valueOf = (el) => {
    if (el.tagName === 'SELECT') { const o = el.selectedOptions[0]; return o ? o.text : ''; }
    if (el.tagName === 'INPUT') {
      if (el.type === 'checkbox' || el.type === 'radio' || el.type === 'submit' || el.type === 'button') return null;
      return el.type === 'password' ? '\u2022'.repeat(el.value.length) : el.value;
    }
    if (el.tagName === 'TEXTAREA' || el.tagName === 'OUTPUT') return el.value;
    // A live region's value is what it says, not the name its label gives it.
    if (el.getAttribute('role') === 'status') return el.innerText.trim();
    if (el.tagName === 'PROGRESS' || el.tagName === 'METER') return String(el.value);
    if (el.isContentEditable && el === el.closest('[contenteditable]')) return el.innerText;
    return null;
  };

  // [id, parent index, role, name, value, states (bits of STATE_WORDS), x, y, w, h, description, placeholder,
  //  labels, href, [DOM id, name, form, type] or 0], without the empty fields at its end (page.py puts them back)
  // Text sitting directly in an element (a <dd>, a <div>): AT-SPI shows it as static text, so do we.
  const ownText = (el) => {
    let text = '';
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3) text += c.data;
    return text.replace(/\s+/g, ' ').trim();
  };

  // ARIA states an element may carry; an element with no attributes at all (most cells, rows, list items)
  // skips the dozen look-ups, which were a fifth of a whole-page read.
  const NO_ARIA = {checked: null, selected: null, expanded: null, pressed: null, readonly: null, required: null,
                   invalid: null, multiline: null, modal: null, disabled: null, description: null};
  const aria = (el) => el.hasAttributes() ? {
    checked: el.getAttribute('aria-checked'), selected: el.getAttribute('aria-selected'),
    expanded: el.getAttribute('aria-expanded'), pressed: el.getAttribute('aria-pressed'),
    readonly: el.getAttribute('aria-readonly'), required: el.getAttribute('aria-required'),
    invalid: el.getAttribute('aria-invalid'), multiline: el.getAttribute('aria-multiline'),
    modal: el.getAttribute('aria-modal'), disabled: el.getAttribute('aria-disabled'),
    description: el.getAttribute('aria-description'),
  } : NO_ARIA;

  // A table cell with no attributes, only text in it, shown as written (no text-transform, collapsed
  // white space) and no generated content anywhere on the page is named by its text, exactly as Blink's
  // name from contents would name it; asking Blink for it was a fifth of reading a page with a big table.
  let pseudoContent = true;
  const rulesAdd = (rules) => {
    for (const rule of rules) {
      if (rule.selectorText && /:(before|after|marker)/.test(rule.selectorText)) return true;
      if (rule.cssRules && rulesAdd(rule.cssRules)) return true;
    }
    return false;
  };
  const pageAddsContent = () => {
    for (const sheet of [...document.styleSheets, ...(document.adoptedStyleSheets || [])]) {
      try { if (rulesAdd(sheet.cssRules)) return true; } catch (e) { return true; }  // unreadable: assume so
    }
    return false;
  };
  const plainCell = (el, style, showing) =>
    !pseudoContent && showing && (el.tagName === 'TD' || el.tagName === 'TH') && !el.hasAttributes() &&
    !el.firstElementChild && style.textTransform === 'none' &&
    (style.whiteSpace === 'normal' || style.whiteSpace === 'nowrap');

  // A row's states, one bit each (page.py's STATE_WORDS, same order): a number travels lighter than words.
  const STATE_WORDS = ['enabled', 'sensitive', 'focusable', 'focused', 'visible', 'showing', 'checked', 'mixed', 'checkable', 'selectable', 'selected', 'expandable', 'expanded', 'pressed', 'editable', 'readonly', 'required', 'invalid', 'multiline', 'password', 'modal'];
  const S = Object.fromEntries(STATE_WORDS.map((word, bit) => [word, 1 << bit]));

  const describe = (el, role, parent) => {
    let s = 0;
    const a = aria(el);
    // :disabled only applies to form controls; matching it on every element doubles the read's cost.
    const disabled = (el.disabled !== undefined && el.matches(':disabled')) || a.disabled === 'true';
    if (!disabled) s |= S.enabled | S.sensitive;
    if (el.tabIndex >= 0) s |= S.focusable;
    if (el === document.activeElement) s |= S.focused;
    const r = el.getBoundingClientRect();
    const style = r.width > 0 && r.height > 0 && el.tagName !== 'OPTION' ? getComputedStyle(el) : null;
    const showing = r.width > 0 && r.height > 0 && (el.tagName === 'OPTION' || style.visibility === 'visible');
    if (showing) s |= S.visible | S.showing;
    if (el.checked === true || a.checked === 'true') s |= S.checked;
    if (el.indeterminate === true || a.checked === 'mixed') s |= S.mixed;
    if (el.type === 'checkbox' || el.type === 'radio' || a.checked !== null) s |= S.checkable;
    if (el.tagName === 'OPTION') { s |= S.selectable; if (el.selected) s |= S.selected; }
    if (a.selected === 'true') s |= S.selected;
    if (a.expanded !== null) { s |= S.expandable; if (a.expanded === 'true') s |= S.expanded; }
    if (a.pressed === 'true') s |= S.pressed;
    if (isEditable(el)) s |= S.editable;
    if (el.readOnly === true || a.readonly === 'true') s |= S.readonly;
    if (el.required === true || a.required === 'true') s |= S.required;
    if (a.invalid === 'true') s |= S.invalid;
    if (el.tagName === 'TEXTAREA' || a.multiline === 'true') s |= S.multiline;
    if (el.type === 'password') s |= S.password;
    if (a.modal === 'true') s |= S.modal;
    let name = plainCell(el, style, showing) ? ownText(el) : el.computedName || '';
    if (!name && role === 'LabelText') name = el.innerText.trim();
    if (!name && el.tagName !== 'SELECT' && el.tagName !== 'TEXTAREA') name = ownText(el);
    if (TRANSPARENT.has(role)) role = 'StaticText';
    const labels = el.labels ? Array.from(el.labels, idOf) : [];
    // The enclosing pixel rectangle, as AT-SPI reports it.
    const x = Math.floor(r.left), y = Math.floor(r.top);
    const row = [idOf(el), parent, role, name, valueOf(el), s, x, y, Math.ceil(r.right) - x, Math.ceil(r.bottom) - y,
            a.description || el.title || '', el.placeholder || '', labels,
            // Where a link leads (or a submit button sends its form), so the policy can judge it first.
            el.tagName === 'A' || el.tagName === 'AREA' ? (el.getAttribute('href') || '') :
              el.form && (el.type === 'submit' || el.type === 'image') ? formTarget(el) : '',
            // Ids that outlive a reworded label (repair matches on them): id, name, the form, the type.
            idsOf(el)];
    // Most rows end in nothing (no description, placeholder, labels, href or ids): those ends are not sent.
    while (row.length > ROW_HEAD && isEmpty(row[row.length - 1])) row.pop();
    return row;
  };
  const ROW_HEAD = 10;
  const isEmpty = (field) => field === '' || field === 0 || (Array.isArray(field) && field.length === 0);

  const FORM_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON']);
  const idsOf = (el) => {
    const form = FORM_TAGS.has(el.tagName) && el.form ? el.form : null;
    const formId = form ? (form.id || form.getAttribute('name') || form.getAttribute('action') || 'form') : '';
    const type = FORM_TAGS.has(el.tagName) ? (el.type || '') : '';
    const id = el.id || '', name = el.getAttribute('name') || '';
    return id || name || formId || type ? [id, name, formId, type] : 0;  // 0: none (most elements)
  };

  // A submit button's formaction, else its form's action (formAction alone falls back to the page's URL).
  const formTarget = (el) => el.getAttribute('formaction') ? el.formAction : el.form.action;

  const accept = (el) =>
    el.checkVisibility() || el.tagName === 'OPTION' || el.tagName === 'OPTGROUP'
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;

  const read = (root) => {
    sampled = new WeakMap();
    const out = [];
    const stack = [[root, -1]];
    while (stack.length) {
      const [el, parent] = stack.pop();
      const role = roleOf(el);
      let here = parent;
      if (!TRANSPARENT.has(role) || el === root || ownText(el)) {
        here = out.length;
        out.push(describe(el, role, parent));
        reported.add(el);
      } else {
        reported.delete(el);
      }
      const kids = [];
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
        if (accept(c) === NodeFilter.FILTER_ACCEPT) kids.push(c);
      }
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], here]);
    }
    return out;
  };

  // The nearest element with a row whose subtree holds the change and that is still shown (a hidden
  // element's parent loses its row); null when that is <body> (then the whole page is read).
  const rowOwner = (el) => {
    for (; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
      if (reported.has(el) && el.isConnected && accept(el) === NodeFilter.FILTER_ACCEPT) return el;
    }
    return null;
  };

  // An action's answer carries the element as it is right after the action (its own handlers have run):
  // the read-back then needs no second call, and the layout the action dirtied is computed once.
  // It also carries the changes the action made (unless the whole page is due to be read): the next read
  // then has nothing left to ask for.
  const after = (el) => ({ok: true, node: describe(el, blinkRole(el), -1), changes: whole ? null : changes(false)});
  // An edit's answer is read at the page's next turn, not in the call that made it: a page may put the
  // field back once its handlers' microtasks and zero-delay timers have run (a controlled field keeps its
  // own state), and then holds, and sends, its own value. Read in the same call, such a fill was reported
  // done while the field held ''. Timers of the same delay run in order: the page's, queued by the edit,
  // run before this one.
  const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

  // What the form would send if `how` ('click' or 'enter') acted on el: null when that submits nothing.
  // FormData is the browser's own form data set (hidden fields included); actions come resolved.
  const submission = (el, how) => {
    const form = el.form || el.closest('form');
    if (!form) return null;
    const button = (el.tagName === 'BUTTON' && el.type === 'submit') ||
      (el.tagName === 'INPUT' && (el.type === 'submit' || el.type === 'image'));
    const field = el.tagName === 'INPUT' && TEXTUAL.has(el.type);
    if (!(button || (how === 'enter' && field))) return null;
    const by = button ? el : null;
    const own = (attr, prop, fallback) => (by && by.hasAttribute(attr) ? by[prop] : fallback);
    const secret = new Set(Array.from(form.elements).filter((e) => e.type === 'password').map((e) => e.name));
    const fields = [];
    for (const [name, value] of new FormData(form, by)) {
      fields.push([name, typeof value === 'string' ? value : `(file ${value.name})`, secret.has(name)]);
    }
    return {
      method: own('formmethod', 'formMethod', form.method),
      action: own('formaction', 'formAction', form.action),
      target: own('formtarget', 'formTarget', form.target),
      fields,
    };
  };

  // What a click at el's centre would land on instead of el: the topmost element there (into open shadow
  // roots), unless it is el, inside el, or a label of el (a label passes its click on to its control). A page
  // can lay a clear element over a harmless button; the click must not press what deskhand did not judge.
  const coverOf = (el, r) => {
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    let hit = document.elementFromPoint(x, y);
    while (hit && hit.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    if (!hit) return '';  // outside the view: the click's own checks speak
    for (let n = hit; n; n = n.parentNode || n.host) {
      if (n === el || (n.tagName === 'LABEL' && n.control === el)) return '';
    }
    const name = (hit.getAttribute('aria-label') || hit.textContent || '').trim().slice(0, 40);
    const href = hit.closest('a[href]');
    return `<${hit.tagName.toLowerCase()}>` + (name ? ` "${name}"` : '') + (href ? ` (a link to ${href.href})` : '');
  };

  const act = (owner, id, what, arg) => {
    const el = owner === nonce ? element(id) : null;
    if (!el) return {gone: true};
    switch (what) {
      case 'read': return {node: describe(el, blinkRole(el), -1)};
      case 'box': {
        el.scrollIntoView({block: 'nearest', inline: 'nearest'});
        let r = el.getBoundingClientRect();
        let over = coverOf(el, r);
        if (over) {  // a sticky bar over its edge of the view: in the middle of the view it may be free
          el.scrollIntoView({block: 'center', inline: 'nearest'});
          r = el.getBoundingClientRect();
          over = coverOf(el, r);
        }
        return over ? {box: [r.x, r.y, r.width, r.height], covered: over} : {box: [r.x, r.y, r.width, r.height]};
      }
      case 'focus': el.focus(); return {ok: document.activeElement === el};
      case 'submission': return {submission: submission(el, arg)};
      case 'scroll': el.scrollIntoView({block: 'center', inline: 'nearest'}); return {ok: true};
      case 'fill': {
        el.focus();
        if (el.select) el.select(); else document.execCommand('selectAll');
        if (arg) document.execCommand('insertText', false, arg); else document.execCommand('delete');
        if (el.value !== undefined && el.value !== arg) {
          // Fields execCommand cannot edit (number inputs in some states): the native setter, then events.
          Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value').set.call(el, arg);
          el.dispatchEvent(new Event('input', {bubbles: true}));
        }
        el.dispatchEvent(new Event('change', {bubbles: true}));
        return nextTurn().then(() => {
          // A value the page refuses (over its max, not a date...) is not one it will submit; an empty
          // required field is only not filled in yet.
          const v = el.validity;
          if (v && !v.valid && !v.valueMissing && !v.customError) return {...after(el), refused: el.validationMessage};
          return after(el);
        });
      }
      case 'select': {
        const want = arg.replace(/\s+/g, ' ').trim().toLowerCase();
        const options = el.options ? Array.from(el.options) : [];
        const hit = options.find((o) => o.text.replace(/\s+/g, ' ').trim().toLowerCase() === want);
        if (!hit) return {options: options.map((o) => o.text)};
        if (!hit.selected) {
          el.focus();
          el.value = hit.value;
          el.dispatchEvent(new Event('input', {bubbles: true}));
          el.dispatchEvent(new Event('change', {bubbles: true}));
        }
        return nextTurn().then(() => after(el));
      }
      case 'check': {
        const on = el.checked === true || el.getAttribute('aria-checked') === 'true';
        if (on !== arg) el.click();
        return nextTurn().then(() => after(el));
      }
    }
    return {unknown: what};
  };

  // null when nothing changed; {nodes} for the whole page; {patches: [[id, rows], ...]} with each changed
  // element's subtree read again (its first row is the element itself). Always with nonce and epoch.
  const changes = (force) => {
    pseudoContent = pageAddsContent();
    try { return changed(force); } finally { pseudoContent = true; }  // an action's own read asks Blink
  };
  const changed = (force) => {
    announced = false;
    if (force || whole) {
      whole = false;
      touched.clear();
      return {nonce, epoch, nodes: read(document.body || document.documentElement)};
    }
    if (!touched.size) return {nonce, epoch};
    const roots = new Set();
    for (const el of touched) {
      if (!el.isConnected) continue;  // its removal is a change of its old parent, touched too
      const root = rowOwner(el);
      if (!root) { touched.clear(); return changed(true); }
      roots.add(root);
    }
    touched.clear();
    const patches = [];
    for (const root of roots) {
      let covered = false;
      for (let up = root.parentElement; up && !covered; up = up.parentElement) covered = roots.has(up);
      if (!covered) patches.push([idOf(root), read(root)]);
    }
    return {nonce, epoch, patches};
  };

  // A locator's question: which elements could a name or text `needle` describe? Every element whose name
  // could hold it (its content, the attributes and labels names come from, or an aria-labelledby, which may
  // point anywhere), with the chain of ancestors a whole read would report, in the same rows. null when
  // deskhand already holds the page (only changes are pending) and did not ask to `force` it: a normal read
  // is cheaper then. Nothing here changes what the next read sends.
  // With `byLabel` (get_by_label, and the runner's first selector for a fill) it answers on a held page too:
  // what a label names is decided by relations in the page, and deskhand's resolver would otherwise look at
  // every node. Each picked <label>'s control comes along. A label that could name a field by where it sits
  // (text that is no bound <label>, or a caption control such as "To:") makes the answer null: placing by
  // geometry needs the fields around it, and deskhand's resolver does that over the whole read.
  // Compared like tree/text.py's normalize_name, loosely (a superset): case, spaces, underscores (GTK's
  // mnemonics), compatibility forms, the needle's trailing ':' or ellipsis.
  const squash = (text) => (text || '').normalize('NFKC').toLowerCase().replace(/[\s_]+/g, '');
  const wanted = (needle) => {
    let want = squash(needle);
    for (let cut = true; cut;) {
      cut = false;
      for (const noise of [':', '...', '\u2026']) if (want.endsWith(noise)) { want = want.slice(0, -noise.length); cut = true; }
    }
    return want;
  };
  const NAMED_BY_ATTRIBUTES = '[aria-label],[aria-labelledby],[title],[alt],[placeholder],[aria-description],' +
                              'input,select,textarea,button,meter,output,progress,[contenteditable]';
  // Blink roles deskhand reads as a label or static text (backends/browser/roles.py: Role.LABEL, Role.TEXT).
  const LABEL_LIKE = new Set(['LabelText', 'Legend', 'caption', 'StaticText', 'term', 'definition', 'code',
                              'emphasis', 'strong', 'time', 'mark', 'label', 'text']);
  const CAPTION_CONTROLS = new Set(['button', 'combobox', 'ColorWell', 'PopUpButton']);
  const query = (needle, force, byLabel) => {
    if (!whole && !force && !byLabel) return null;
    pseudoContent = pageAddsContent();
    try { return matching(needle, byLabel); } finally { pseudoContent = true; }
  };
  const shownChain = (el, body) => {
    for (let up = el; up && up !== body; up = up.parentElement) if (accept(up) !== NodeFilter.FILTER_ACCEPT) return false;
    return true;
  };
  // Could this picked element name a field by its place (tree/match.py's positional_labels)?
  const placesALabel = (el, body) => {
    const role = roleOf(el);
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || !shownChain(el, body)) return false;  // not placed, or not read
    if (CAPTION_CONTROLS.has(role)) return (el.computedName || '').trim().endsWith(':');
    if (!LABEL_LIKE.has(role) && !(TRANSPARENT.has(role) && ownText(el))) return false;
    // A <label> bound to a control that a whole read reports names that control by relation only.
    return !(el.tagName === 'LABEL' && el.control && shownChain(el.control, body));
  };
  const matching = (needle, byLabel) => {
    announced = false;  // the answer is kept until the next change, which must therefore be announced
    const want = wanted(needle);
    const body = document.body || document.documentElement;
    sampled = new WeakMap();
    const picked = new Set();
    const stack = [body];
    while (stack.length) {
      const el = stack.pop();
      if (!squash(el.textContent).includes(want)) continue;
      picked.add(el);
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push(c);
    }
    if (named === null || named.root !== body) named = {root: body, list: body.querySelectorAll(NAMED_BY_ATTRIBUTES)};
    for (const el of named.list) {
      const own = [el.getAttribute('aria-label'), el.title, el.getAttribute('alt'), el.placeholder,
                   el.getAttribute('aria-description'), typeof el.value === 'string' ? el.value : '',
                   el.labels ? Array.from(el.labels, (l) => l.textContent).join(' ') : ''].join(' ');
      if (el.hasAttribute('aria-labelledby') || squash(own).includes(want)) picked.add(el);
    }
    if (byLabel) {
      for (const el of [...picked]) {
        if (el !== body && placesALabel(el, body)) return null;
        if (el.tagName === 'LABEL' && el.control) picked.add(el.control);
      }
    }
    // Shown chains only (a whole read skips hidden subtrees), then the union of their ancestors.
    const needed = new Set([body]);
    for (const el of picked) {
      const chain = [];
      let shown = true;
      for (let up = el; up && up !== body; up = up.parentElement) {
        if (needed.has(up)) break;
        if (accept(up) !== NodeFilter.FILTER_ACCEPT) { shown = false; break; }
        chain.push(up);
      }
      if (shown) for (const up of chain) needed.add(up);
    }
    const out = [];
    const walk = [[body, -1]];
    while (walk.length) {
      const [el, parent] = walk.pop();
      const role = roleOf(el);
      let here = parent;
      if (!TRANSPARENT.has(role) || el === body || ownText(el)) { here = out.length; out.push(describe(el, role, parent)); }
      const kids = [];
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (needed.has(c)) kids.push(c);
      for (let i = kids.length - 1; i >= 0; i--) walk.push([kids[i], here]);
    }
    return {nonce, epoch, nodes: out};
  };

  globalThis.__deskhand = {nonce, snapshot: changes, act, query};
  return nonce;
})()
