// Counterlink customer dialog: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // 1. Forms: one submission only, and say that something is happening.
  document.querySelectorAll('form[data-busy-form]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-submitting') === 'true') {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-submitting', 'true');
      form.setAttribute('aria-busy', 'true');
      var submitter = event.submitter;
      // Disable after the browser has read the submitter's name/value for this submission.
      window.setTimeout(function () {
        form.querySelectorAll('button').forEach(function (b) {
          b.disabled = true;
        });
        if (submitter) {
          submitter.classList.add('is-busy');
          var label = submitter.getAttribute('data-busy-label');
          var span = submitter.querySelector('span');
          if (label && span) span.textContent = label;
        }
      }, 0);
    });
  });

  // Coming back through the back/forward cache: make the forms usable again.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-submitting]').forEach(function (form) {
      form.removeAttribute('data-submitting');
      form.removeAttribute('aria-busy');
      form.querySelectorAll('button').forEach(function (b) {
        b.disabled = false;
        b.classList.remove('is-busy');
      });
    });
  });

  // 2. An error on the page: move focus to it so it is read out and visible.
  var alert = document.querySelector('[role="alert"]');
  if (alert && !document.querySelector('[autofocus]')) alert.focus();

  // 3. A pending result: poll the payment's status, reload when it changes (or, where the page
  //    names one in data-poll-done, e.g. the bank-transfer page, go to the result page).
  var poll = document.body.getAttribute('data-poll');
  var initial = document.body.getAttribute('data-status');
  var done = document.body.getAttribute('data-poll-done');
  if (poll && initial) {
    var delay = 1500;
    var check = function () {
      fetch(poll, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (p) {
          if (p && p.status && p.status !== initial) {
            if (done) window.location.replace(done);
            else window.location.reload();
            return;
          }
          delay = Math.min(delay * 1.3, 10000);
          window.setTimeout(check, delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, 15000);
          window.setTimeout(check, delay);
        });
    };
    window.setTimeout(check, delay);
  }

  // 4. Copy buttons (bank details): shown only where copying works. navigator.clipboard needs a
  //    secure context, which a shop's LAN address over http is not: then the value is selected
  //    and copied the old way. Without any of it the values stay plain, selectable text.
  var copyButtons = document.querySelectorAll('button[data-copy]');
  var canExec = typeof document.queryCommandSupported === 'function' && document.queryCommandSupported('copy');
  var canClipboard = !!(navigator.clipboard && window.isSecureContext);
  if (copyButtons.length && (canClipboard || canExec)) {
    var live = document.createElement('span');
    live.className = 'sr-only';
    live.setAttribute('aria-live', 'polite');
    document.body.appendChild(live);

    var execCopy = function (text) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.top = '0';
      area.style.left = '0';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.focus();
      area.select();
      area.setSelectionRange(0, text.length);
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      return ok;
    };

    var copy = function (text) {
      if (canClipboard) {
        return navigator.clipboard.writeText(text).then(
          function () {
            return true;
          },
          function () {
            return execCopy(text);
          }
        );
      }
      return Promise.resolve(execCopy(text));
    };

    copyButtons.forEach(function (button) {
      button.hidden = false;
      var span = button.querySelector('span');
      var label = span ? span.textContent : '';
      var timer = 0;
      button.addEventListener('click', function () {
        var text = button.getAttribute('data-copy') || '';
        copy(text).then(function (ok) {
          if (!ok) return;
          var copied = button.getAttribute('data-copied-label') || '';
          button.classList.add('is-copied');
          if (span) span.textContent = copied;
          live.textContent = '';
          window.setTimeout(function () {
            live.textContent = copied;
          }, 50);
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.classList.remove('is-copied');
            if (span) span.textContent = label;
          }, 2000);
          // Focus back on the button (execCommand moved it to the hidden textarea).
          button.focus();
        });
      });
    });
  }
  // 5. Tips on a fixed amount: the Pay button shows the total with the chosen tip. The server
  //    computes the tip again; this is only what the payer reads before paying.
  var tipsBox = document.querySelector('[data-tips]');
  var payButton = document.querySelector('[data-pay-template]');
  if (tipsBox && payButton && tipsBox.getAttribute('data-base')) {
    var base = Number(tipsBox.getAttribute('data-base'));
    var scale = Number(tipsBox.getAttribute('data-exponent')) || 1;
    var decimals = String(scale).length - 1;
    var fmt = new Intl.NumberFormat(tipsBox.getAttribute('data-intl') || undefined, {
      style: 'currency',
      currency: tipsBox.getAttribute('data-currency') || 'EUR',
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals
    });
    var template = payButton.getAttribute('data-pay-template') || '';
    var otherInput = tipsBox.querySelector('#tip-amount');
    var toMinor = function (text) {
      var m = /^(\d{1,9})(?:[.,](\d*))?$/.exec(String(text || '').trim());
      if (!m || (m[2] || '').length > decimals) return null;
      return Number(m[1]) * scale + Number(((m[2] || '') + '000').slice(0, decimals) || '0');
    };
    var showTotal = function () {
      var checked = tipsBox.querySelector('input[name="tip"]:checked');
      var tip = 0;
      if (checked && checked.value === 'other') tip = toMinor(otherInput && otherInput.value) || 0;
      else if (checked) tip = Number(checked.getAttribute('data-tip-minor') || '0');
      var span = payButton.querySelector('span');
      if (span) span.textContent = template.replace('{{amount}}', fmt.format((base + tip) / scale));
    };
    tipsBox.addEventListener('change', showTotal);
    if (otherInput) {
      otherInput.addEventListener('input', showTotal);
      otherInput.addEventListener('focus', function () {
        var radio = tipsBox.querySelector('input[name="tip"][value="other"]');
        if (radio && !radio.checked) {
          radio.checked = true;
          showTotal();
        }
      });
    }
    showTotal();
  }
})();
