/* Editable grids in the reader's language (dashboards/grid_locales.py serves the data,
   dashboards/components/grid_cells.py names these functions in the column definitions).

   The grid's data stays what the server reads: numbers, and dates as ISO text. A cell shows
   them as the page's language writes them (1.234,5 and 31/01/2023 in pt-BR) and reads back what
   a person there types; anything else is refused: the cell keeps its value, flashes, and the
   grid's message area (its context's `problem` id) says which row and column and how to type
   it. */
(function () {
  var funcs = window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  var ENGLISH = {
    decimal: '.', group: ',', minus: '-', date: 'y-MM-dd',
    months: {abbreviated: [], wide: []},
    messages: {number: '{text} is not a number', date: '{text} is not a date',
               where: 'Row {row}, {column}: {problem}'}
  };
  var SEPARATORS = '[\\s.,/-]+';

  function here() {
    var all = window.deliveryGridLocales || {};
    var lang = document.documentElement.getAttribute('lang') || 'en';
    return all[lang] || all[lang.split('-')[0]] || all.en || ENGLISH;
  }

  function blank(value) {
    return value === null || value === undefined || String(value).trim() === '';
  }

  function grouped(digits, mark) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, mark);
  }

  /* A number as the page's language writes it; every decimal kept (up to ten). */
  function writeNumber(value, l) {
    if (blank(value)) { return ''; }
    var n = typeof value === 'number' ? value : Number(value);
    if (!isFinite(n)) { return String(value); }
    var text = Math.abs(n).toLocaleString('en-US', {useGrouping: false,
                                                     maximumFractionDigits: 10});
    var parts = text.split('.');
    return (n < 0 ? l.minus : '') + grouped(parts[0], l.group)
      + (parts[1] ? l.decimal + parts[1] : '');
  }

  function escaped(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  /* The number a person typed, or null: the language's decimal mark, its thousands mark only
     between groups of three digits (in pt-BR 1.234,5 and 1234,5 are 1234.5; 12.5 is refused,
     not guessed). */
  function readNumber(text, l) {
    var t = String(text).trim();
    var negative = /^[-\u2212\u2013]/.test(t) || (l.minus && t.indexOf(l.minus) === 0);
    t = t.replace(/^[-+\u2212\u2013]/, '').trim();
    var group = /^\s$/.test(l.group) ? '' : l.group;
    t = t.replace(/[\s\u00a0\u202f]/g, '');
    var parts = t.split(l.decimal);
    if (parts.length > 2) { return null; }
    var whole = parts[0], fraction = parts.length === 2 ? parts[1] : '';
    if (parts.length === 2 && !/^\d+$/.test(fraction)) { return null; }
    if (group && whole.indexOf(group) >= 0) {
      if (!new RegExp('^\\d{1,3}(' + escaped(group) + '\\d{3})+$').test(whole)) { return null; }
      whole = whole.split(group).join('');
    }
    if (!/^\d*$/.test(whole) || (whole === '' && fraction === '')) { return null; }
    var n = Number((whole || '0') + (fraction ? '.' + fraction : ''));
    return isFinite(n) ? (negative ? -n : n) : null;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* An ISO date (text) as the language's pattern writes it (dd/MM/y, d MMM y). */
  function writeDate(value, l) {
    if (blank(value)) { return ''; }
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    if (!m) { return String(value); }
    var y = m[1], month = Number(m[2]), d = Number(m[3]);
    return l.date.replace(/d+|M+|y+|'[^']*'/g, function (token) {
      var c = token.charAt(0);
      if (c === "'") { return token.slice(1, -1); }
      if (c === 'd') { return token.length > 1 ? pad(d) : String(d); }
      if (c === 'y') { return y; }
      if (token.length >= 4) { return l.months.wide[month - 1]; }
      if (token.length === 3) { return l.months.abbreviated[month - 1]; }
      return token.length > 1 ? pad(month) : String(month);
    });
  }

  function monthNamed(name, l) {
    var wanted = name.toLowerCase().replace(/\.$/, '');
    var lists = [l.months.wide, l.months.abbreviated];
    for (var i = 0; i < lists.length; i++) {
      for (var j = 0; j < lists[i].length; j++) {
        if (String(lists[i][j]).toLowerCase() === wanted) { return j + 1; }
      }
    }
    return null;
  }

  /* The ISO date a person typed, or null: ISO itself in any language, else the language's
     pattern with any of / . - or spaces between day, month and four-digit year. */
  function readDate(text, l) {
    var t = String(text).trim(), y, month, d;
    var iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
    if (iso) {
      y = Number(iso[1]); month = Number(iso[2]); d = Number(iso[3]);
    } else {
      var fields = l.date.replace(/'[^']*'/g, '').match(/d+|M+|y+/g) || [];
      var pieces = fields.map(function (f) {
        if (f.charAt(0) === 'y') { return '(\\d{4})'; }
        if (f.charAt(0) === 'M' && f.length >= 3) { return '([^\\d\\s.,/-]+)'; }
        return '(\\d{1,2})';
      });
      var found = new RegExp('^' + pieces.join(SEPARATORS) + '\\.?$').exec(t);
      if (!found) { return null; }
      for (var i = 0; i < fields.length; i++) {
        var f = fields[i].charAt(0), v = found[i + 1];
        if (f === 'y') { y = Number(v); }
        else if (f === 'd') { d = Number(v); }
        else { month = fields[i].length >= 3 ? monthNamed(v, l) : Number(v); }
      }
      if (!month) { return null; }
    }
    var check = new Date(Date.UTC(y, month - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== month - 1
        || check.getUTCDate() !== d) { return null; }
    return String(y).padStart(4, '0') + '-' + pad(month) + '-' + pad(d);
  }

  function say(params, message) {
    var target = params.context && params.context.problem;
    if (target && window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(target, {children: message});
    }
  }

  function refuse(params, kind, text) {
    var l = here();
    var shown = String(text).trim();
    shown = '"' + (shown.length > 40 ? shown.slice(0, 40) + '…' : shown) + '"';
    var row = params.node && params.node.rowIndex !== null && params.node.rowIndex !== undefined
      ? params.node.rowIndex + 1 : '?';
    var column = (params.colDef && (params.colDef.headerName || params.colDef.field)) || '';
    say(params, l.messages.where.replace('{row}', row).replace('{column}', column)
      .replace('{problem}', l.messages[kind].replace('{text}', shown)));
    try {
      params.api.flashCells({rowNodes: [params.node], columns: [params.column]});
    } catch (e) { /* an older grid without flashing: the message is enough */ }
    return params.oldValue;
  }

  function read(params, kind, reader, empty) {
    var typed = params.newValue;
    if (blank(typed)) { say(params, null); return empty; }
    if (kind === 'number' && typeof typed === 'number') { say(params, null); return typed; }
    var value = reader(typed, here());
    if (value === null) { return refuse(params, kind, typed); }
    say(params, null);
    return value;
  }

  funcs.localNumber = function (value) { return writeNumber(value, here()); };
  funcs.localDate = function (value) { return writeDate(value, here()); };
  funcs.readLocalNumber = function (params) { return read(params, 'number', readNumber, null); };
  funcs.readLocalDate = function (params) { return read(params, 'date', readDate, ''); };
  /* For unit tests in the browser: the readers on their own. */
  funcs.gridFormats = {readNumber: readNumber, readDate: readDate, writeNumber: writeNumber,
                       writeDate: writeDate, here: here};
})();
