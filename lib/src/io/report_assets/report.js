// storysift report: draws the stories (or copy groups) embedded as JSON in
// #report-data. Every scraped string reaches the page through textContent or
// a checked http(s) href, never as markup. Lists render a page at a time and
// a story's articles only when it is opened, so 100k articles open quickly.
'use strict';
(function () {
  var root = document.documentElement;
  // An error counter the browser test reads from the DOM.
  window.addEventListener('error', function () {
    root.setAttribute('data-errors', String(Number(root.getAttribute('data-errors')) + 1));
  });

  var PAGE = 100;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var app = document.getElementById('app');
  // The fragment presets the view, e.g. #q=yukos&sort=recent&min=1&open=s0003
  // (open: story ids, or "all" for every story drawn).
  var params = new URLSearchParams(location.hash.replace(/^#/, ''));
  var openIds = (params.get('open') || '').split(',');
  function startsOpen(id) { return openIds.indexOf('all') >= 0 || openIds.indexOf(id) >= 0; }

  // Article tuple fields (see html_report.cc).
  var A_ID = 0, A_TITLE = 1, A_SOURCE = 2, A_URL = 3, A_TIME = 4, A_NOVELTY = 5,
    A_TERMS = 6, A_COPY_OF = 7, A_PASSAGE = 8;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmtDate(t) { return new Date(t * 1000).toISOString().slice(0, 10); }
  function fmtTime(t) {
    var s = new Date(t * 1000).toISOString();
    return s.slice(11, 16) === '00:00' ? s.slice(0, 10) : s.slice(0, 16).replace('T', ' ');
  }
  function fmtCount(n, one, many) {
    return n.toLocaleString('en-US') + ' ' + (n === 1 ? one : many);
  }
  function webUrl(u) {
    if (!u) return null;
    try {
      var x = new URL(u);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (e) {
      return null;
    }
  }
  function titleOf(a) { return a[A_TITLE] || a[A_ID]; }

  // A title linked to its url when that is http(s); plain text otherwise.
  function titleNode(a, cls) {
    var href = webUrl(a[A_URL]);
    var t = el(href ? 'a' : 'span', cls, titleOf(a));
    if (href) {
      t.href = href;
      t.rel = 'noopener noreferrer nofollow';
      t.target = '_blank';
    }
    return t;
  }
  function chips(terms, cls) {
    var box = el('span', 'chips ' + (cls || ''));
    terms.forEach(function (term) { box.appendChild(el('span', 'chip', term)); });
    return box;
  }
  function badge(text, kind) { return el('span', 'badge badge-' + kind, text); }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function header(title, summary) {
    var h = el('header', 'top');
    h.appendChild(el('h1', '', title));
    h.appendChild(el('p', 'summary', summary));
    app.appendChild(h);
  }

  // A paged list: draws `PAGE` items, then a "show more" button.
  function pagedList(list, items, draw) {
    list.textContent = '';
    var shown = 0;
    var more = el('button', 'more', '');
    more.type = 'button';
    function next() {
      var end = Math.min(items.length, shown + PAGE);
      var frag = document.createDocumentFragment();
      for (; shown < end; shown++) frag.appendChild(draw(items[shown]));
      list.appendChild(frag);
      more.textContent = 'Show ' + Math.min(PAGE, items.length - shown) + ' more (' +
        (items.length - shown).toLocaleString('en-US') + ' left)';
      more.hidden = shown >= items.length;
    }
    more.addEventListener('click', next);
    next();
    return more;
  }

  function field(label, input) {
    var l = el('label', 'field');
    l.appendChild(el('span', 'field-name', label));
    l.appendChild(input);
    return l;
  }
  function input(type, name, value) {
    var i = el('input');
    i.type = type;
    i.name = name;
    if (value !== undefined) i.value = value;
    return i;
  }

  // The controls bar, opening with the search box (preset by #q=).
  function searchForm(placeholder) {
    var form = el('form', 'controls');
    form.setAttribute('role', 'search');
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    var q = input('search', 'q', params.get('q') || '');
    q.placeholder = placeholder;
    q.setAttribute('aria-label', 'Search');
    form.appendChild(field('Search', q));
    return form;
  }

  // Keyboard: "/" focuses the search, Escape clears it, j / k move between
  // cards (each a <summary>: Enter opens it).
  function keys(q, update) {
    document.addEventListener('keydown', function (e) {
      var active = document.activeElement;
      if (e.key === 'Escape' && active === q && q.value) { q.value = ''; update(); return; }
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) || e.ctrlKey || e.metaKey ||
          e.altKey) return;
      if (e.key === '/') { e.preventDefault(); q.focus(); }
      if (e.key !== 'j' && e.key !== 'k') return;
      var cards = Array.prototype.slice.call(document.querySelectorAll('.story-summary'));
      var at = cards.indexOf(active);
      var next = cards[e.key === 'j' ? at + 1 : Math.max(0, at - 1)];
      if (next) { e.preventDefault(); next.focus(); }
    });
  }

  // ---------- stories ----------
  function storyInfo(raw, index) {
    var arts = raw[4];
    var sources = {}, nsources = 0, copies = 0, first = null, last = null;
    arts.forEach(function (a) {
      if (a[A_SOURCE] && !sources[a[A_SOURCE]]) { sources[a[A_SOURCE]] = 1; nsources++; }
      if (a[A_COPY_OF] >= 0) copies++;
      var t = a[A_TIME];
      if (t !== null) {
        if (first === null || t < first) first = t;
        if (last === null || t > last) last = t;
      }
    });
    var lead = arts.find(function (a) { return a[A_COPY_OF] < 0 && a[A_TITLE]; }) || arts[0];
    return {
      index: index, id: raw[0], status: raw[1], archived: raw[2] === 1, label: raw[3],
      articles: arts, size: arts.length, sources: nsources, copies: copies,
      first: first, last: last, headline: lead ? titleOf(lead) : raw[0], hay: null
    };
  }
  function hayOf(s) {
    if (s.hay === null) {
      var parts = [s.id, s.headline, s.label.join(' ')];
      s.articles.forEach(function (a) { parts.push(a[A_TITLE], a[A_SOURCE], a[A_ID]); });
      s.hay = parts.join('\n').toLowerCase();
    }
    return s.hay;
  }

  function timeline(s, t0, t1) {
    var w = 132, h = 22, pad = 4;
    var box = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, class: 'timeline',
      role: 'img', 'aria-label': 'articles over time' });
    var tip = svg('title', {});
    tip.textContent = fmtTime(s.first) + ' \u2013 ' + fmtTime(s.last);
    box.appendChild(tip);
    box.appendChild(svg('line', { x1: pad, x2: w - pad, y1: h - 5, y2: h - 5, class: 'axis' }));
    var span = t1 > t0 ? t1 - t0 : 1;
    function x(t) { return t1 > t0 ? pad + (w - 2 * pad) * (t - t0) / span : w / 2; }
    box.appendChild(svg('rect', { x: x(s.first), y: h - 8, height: 6,
      width: Math.max(2, x(s.last) - x(s.first)), class: 'range', rx: 2 }));
    s.articles.forEach(function (a) {
      if (a[A_TIME] === null) return;
      box.appendChild(svg('circle', { cx: x(a[A_TIME]), cy: h - 13, r: 2.5,
        class: a[A_COPY_OF] >= 0 ? 'dot copy' : 'dot' }));
    });
    return box;
  }

  function noveltyBar(v) {
    var bar = el('span', 'novelty');
    bar.title = 'novelty ' + v;
    var fill = el('span', 'novelty-fill');
    fill.style.width = Math.round(Math.max(0, Math.min(1, v)) * 100) + '%';
    bar.appendChild(fill);
    bar.appendChild(el('span', 'novelty-num', v.toFixed(2)));
    return bar;
  }

  function articleRow(a, cls) {
    var li = el('li', 'article ' + (cls || ''));
    var head = el('div', 'article-head');
    head.appendChild(titleNode(a, 'article-title'));
    li.appendChild(head);
    var meta = el('div', 'article-meta');
    if (a[A_NOVELTY] !== null) meta.appendChild(noveltyBar(a[A_NOVELTY]));
    if (a[A_SOURCE]) meta.appendChild(el('span', 'source', a[A_SOURCE]));
    if (a[A_TIME] !== null) meta.appendChild(el('time', 'date', fmtTime(a[A_TIME])));
    if (a[A_TITLE]) meta.appendChild(el('span', 'doc-id', a[A_ID]));
    li.appendChild(meta);
    if (a[A_TERMS].length) {
      var terms = el('div', 'new-terms');
      terms.appendChild(el('span', 'muted', 'new: '));
      terms.appendChild(chips(a[A_TERMS], 'chips-new'));
      li.appendChild(terms);
    }
    return li;
  }

  function storyBody(s) {
    var body = el('div', 'story-body');
    var copiesOf = {};
    s.articles.forEach(function (a) {
      if (a[A_COPY_OF] >= 0) (copiesOf[a[A_COPY_OF]] = copiesOf[a[A_COPY_OF]] || []).push(a);
    });
    var list = el('ol', 'articles');
    s.articles.forEach(function (a, i) {
      if (a[A_COPY_OF] >= 0) return;
      var row = articleRow(a);
      var copies = copiesOf[i];
      if (copies) {
        var d = el('details', 'copies');
        d.appendChild(el('summary', '', '+' + fmtCount(copies.length, 'copy', 'copies')));
        var cl = el('ul', 'copy-list');
        copies.forEach(function (c) {
          var cr = articleRow(c, 'copy');
          if (c[A_PASSAGE]) {
            var q = el('blockquote', 'passage');
            q.appendChild(el('span', 'muted', 'shared passage: '));
            q.appendChild(el('mark', '', c[A_PASSAGE]));
            cr.appendChild(q);
          }
          cl.appendChild(cr);
        });
        d.appendChild(cl);
        row.appendChild(d);
      }
      list.appendChild(row);
    });
    body.appendChild(list);
    return body;
  }

  function storyCard(s, t0, t1) {
    var li = el('li', 'story');
    li.id = 'story-' + s.id;
    var d = el('details', 'story-details');
    var sum = el('summary', 'story-summary');
    var line = el('div', 'story-line');
    var h = el('h2', 'headline');
    if (s.status && s.status !== 'unchanged') h.appendChild(badge(s.status, s.status));
    if (s.archived) h.appendChild(badge('archived', 'archived'));
    h.appendChild(el('span', 'headline-text', s.headline));
    line.appendChild(h);
    if (s.first !== null) line.appendChild(timeline(s, t0, t1));
    sum.appendChild(line);
    var meta = el('div', 'story-meta');
    meta.appendChild(el('span', 'size', fmtCount(s.size, 'article', 'articles')));
    if (s.sources) meta.appendChild(el('span', '', fmtCount(s.sources, 'source', 'sources')));
    if (s.copies) meta.appendChild(el('span', '', fmtCount(s.copies, 'copy', 'copies')));
    if (s.first !== null) {
      meta.appendChild(el('span', 'when', s.first === s.last ? fmtTime(s.first)
        : fmtTime(s.first) + ' \u2013 ' + fmtTime(s.last)));
    }
    meta.appendChild(el('span', 'story-id', s.id));
    sum.appendChild(meta);
    if (s.label.length) sum.appendChild(chips(s.label, 'chips-label'));
    d.appendChild(sum);
    var drawn = false;
    function draw() {
      if (d.open && !drawn) { drawn = true; d.appendChild(storyBody(s)); }
    }
    d.addEventListener('toggle', draw);
    if (startsOpen(s.id)) { d.open = true; draw(); }
    li.appendChild(d);
    return li;
  }

  function renderStories() {
    var stories = data.stories.map(storyInfo);
    var t0 = null, t1 = null, narticles = 0, allSources = {}, nsources = 0;
    stories.forEach(function (s) {
      narticles += s.size;
      if (s.first !== null && (t0 === null || s.first < t0)) t0 = s.first;
      if (s.last !== null && (t1 === null || s.last > t1)) t1 = s.last;
      s.articles.forEach(function (a) {
        if (a[A_SOURCE] && !allSources[a[A_SOURCE]]) { allSources[a[A_SOURCE]] = 1; nsources++; }
      });
    });
    var summary = fmtCount(narticles, 'article', 'articles') + ' in ' +
      fmtCount(stories.length, 'story', 'stories') +
      (nsources ? ' \u00b7 ' + fmtCount(nsources, 'source', 'sources') : '') +
      (t0 === null ? '' : ' \u00b7 ' + (fmtDate(t0) === fmtDate(t1) ? fmtDate(t0)
        : fmtDate(t0) + ' \u2013 ' + fmtDate(t1)));
    header(data.title, summary);

    var form = searchForm('Search titles, sources, terms  ( / )');
    var q = form.elements.q;
    var sort = el('select');
    sort.name = 'sort';
    [['size', 'Size, then recency'], ['recent', 'Most recent']].forEach(function (o) {
      sort.appendChild(new Option(o[1], o[0]));
    });
    sort.value = params.get('sort') === 'recent' ? 'recent' : 'size';
    form.appendChild(field('Sort', sort));
    var min = input('number', 'min', params.get('min') || String(data.minSize));
    min.min = '1';
    min.inputMode = 'numeric';
    form.appendChild(field('Min. articles', min));
    var from = input('date', 'from', params.get('from') || '');
    var to = input('date', 'to', params.get('to') || '');
    if (t0 !== null) {
      from.min = to.min = fmtDate(t0);
      from.max = to.max = fmtDate(t1);
    }
    form.appendChild(field('From', from));
    form.appendChild(field('To', to));
    app.appendChild(form);

    var status = el('p', 'status');
    status.setAttribute('aria-live', 'polite');
    app.appendChild(status);
    var list = el('ol', 'stories');
    app.appendChild(list);
    var moreSlot = el('div', 'more-slot');
    app.appendChild(moreSlot);
    var hidden = el('p', 'hidden-count');
    app.appendChild(hidden);
    function dayStart(v) { return v ? Date.parse(v + 'T00:00:00Z') / 1000 : null; }
    function update() {
      var needle = q.value.trim().toLowerCase();
      var minSize = Math.max(1, parseInt(min.value, 10) || 1);
      var lo = dayStart(from.value), hi = dayStart(to.value);
      if (hi !== null) hi += 86400 - 1;
      var small = 0, smallArticles = 0;
      var shown = stories.filter(function (s) {
        if (lo !== null && (s.last === null || s.last < lo)) return false;
        if (hi !== null && (s.first === null || s.first > hi)) return false;
        if (needle && hayOf(s).indexOf(needle) < 0) return false;
        if (s.size < minSize) { small++; smallArticles += s.size; return false; }
        return true;
      });
      var recent = sort.value === 'recent';
      shown.sort(function (a, b) {
        var la = a.last === null ? -Infinity : a.last, lb = b.last === null ? -Infinity : b.last;
        if (recent && la !== lb) return lb - la;
        if (a.size !== b.size) return b.size - a.size;
        if (la !== lb) return lb - la;
        return a.index - b.index;
      });
      status.textContent = fmtCount(shown.length, 'story', 'stories') + ' shown';
      moreSlot.textContent = '';
      moreSlot.appendChild(pagedList(list, shown, function (s) {
        return storyCard(s, t0, t1);
      }));
      hidden.textContent = '';
      if (small) {
        hidden.appendChild(el('span', '', fmtCount(small, 'story', 'stories') +
          ' with fewer than ' +
          fmtCount(minSize, 'article', 'articles') + ' (' +
          fmtCount(smallArticles, 'article', 'articles') + ') hidden. '));
        var show = el('button', 'link-button', 'Show them');
        show.type = 'button';
        show.addEventListener('click', function () { min.value = '1'; update(); });
        hidden.appendChild(show);
      }
      root.setAttribute('data-shown', String(shown.length));
    }
    var timer = 0;
    function later() { clearTimeout(timer); timer = setTimeout(update, 120); }
    q.addEventListener('input', later);
    [sort, min, from, to].forEach(function (c) { c.addEventListener('change', update); });
    keys(q, update);
    update();
  }

  // ---------- near-duplicates ----------
  function sideText(runs, truncated) {
    var p = el('div', 'side-text');
    runs.forEach(function (r, i) {
      if (r) p.appendChild(i % 2 ? el('mark', '', r) : document.createTextNode(r));
    });
    if (truncated) p.appendChild(el('span', 'muted', ' \u2026'));
    return p;
  }
  function side(a, role, sim, runs, truncated) {
    var box = el('section', 'side side-' + role);
    var h = el('div', 'side-head');
    h.appendChild(badge(role, role));
    if (sim !== null) h.appendChild(el('span', 'similarity', 'similarity ' + sim.toFixed(2)));
    box.appendChild(h);
    box.appendChild(titleNode(a, 'article-title'));
    var meta = el('div', 'article-meta');
    if (a[A_SOURCE]) meta.appendChild(el('span', 'source', a[A_SOURCE]));
    if (a[A_TIME] !== null) meta.appendChild(el('time', 'date', fmtTime(a[A_TIME])));
    meta.appendChild(el('span', 'doc-id', a[A_ID]));
    box.appendChild(meta);
    box.appendChild(sideText(runs, truncated));
    return box;
  }
  function groupCard(g) {
    var rep = g[0], copies = g[1];
    var li = el('li', 'story');
    var d = el('details', 'story-details');
    var sum = el('summary', 'story-summary');
    var h = el('h2', 'headline');
    h.appendChild(el('span', 'headline-text', titleOf(rep)));
    sum.appendChild(h);
    var meta = el('div', 'story-meta');
    meta.appendChild(el('span', 'size', '+' + fmtCount(copies.length, 'copy', 'copies')));
    var sims = copies.map(function (c) { return c[1]; });
    var lo = Math.min.apply(null, sims), hi = Math.max.apply(null, sims);
    meta.appendChild(el('span', '', 'similarity ' + (lo === hi ? lo.toFixed(2)
      : lo.toFixed(2) + '\u2013' + hi.toFixed(2))));
    meta.appendChild(el('span', 'story-id', rep[A_ID]));
    sum.appendChild(meta);
    d.appendChild(sum);
    var drawn = false;
    function draw() {
      if (!d.open || drawn) return;
      drawn = true;
      var body = el('div', 'story-body');
      copies.forEach(function (c) {
        var pair = el('div', 'pair');
        pair.appendChild(side(rep, 'original', null, c[4], c[5] === 1));
        pair.appendChild(side(c[0], 'copy', c[1], c[2], c[3] === 1));
        body.appendChild(pair);
      });
      d.appendChild(body);
    }
    d.addEventListener('toggle', draw);
    if (startsOpen(rep[A_ID])) { d.open = true; draw(); }
    li.appendChild(d);
    return li;
  }
  function renderDedup() {
    var groups = data.groups;
    var ncopies = 0;
    groups.forEach(function (g) { ncopies += g[1].length; });
    header(data.title, fmtCount(data.documents, 'document', 'documents') + ' \u00b7 ' +
      fmtCount(groups.length, 'copy group', 'copy groups') + ' \u00b7 ' +
      fmtCount(ncopies, 'copy', 'copies') + ' \u00b7 ' +
      fmtCount(data.documents - groups.length - ncopies, 'unique document', 'unique documents'));
    var form = searchForm('Search titles, sources, ids  ( / )');
    var q = form.elements.q;
    app.appendChild(form);
    var status = el('p', 'status');
    app.appendChild(status);
    var list = el('ol', 'stories');
    app.appendChild(list);
    var moreSlot = el('div', 'more-slot');
    app.appendChild(moreSlot);
    function hay(g) {
      if (!g.hay) {
        var parts = [g[0][A_TITLE], g[0][A_SOURCE], g[0][A_ID]];
        g[1].forEach(function (c) { parts.push(c[0][A_TITLE], c[0][A_SOURCE], c[0][A_ID]); });
        g.hay = parts.join('\n').toLowerCase();
      }
      return g.hay;
    }
    function update() {
      var needle = q.value.trim().toLowerCase();
      var shown = groups.filter(function (g) { return !needle || hay(g).indexOf(needle) >= 0; });
      status.textContent = fmtCount(shown.length, 'group', 'groups') + ' shown';
      moreSlot.textContent = '';
      moreSlot.appendChild(pagedList(list, shown, function (g) { return groupCard(g); }));
      root.setAttribute('data-shown', String(shown.length));
    }
    var timer = 0;
    q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(update, 120);
    });
    keys(q, update);
    update();
  }

  document.title = data.title;
  if (data.kind === 'dedup') renderDedup(); else renderStories();
  root.setAttribute('data-ready', '1');
  // Time from navigation to a drawn page, for the size check in the tests.
  root.setAttribute('data-render-ms', String(Math.round(performance.now())));
})();
