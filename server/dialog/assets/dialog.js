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

  // 3. A pending result: poll the payment's status, reload when it changes.
  var poll = document.body.getAttribute('data-poll');
  var initial = document.body.getAttribute('data-status');
  if (poll && initial) {
    var delay = 1500;
    var check = function () {
      fetch(poll, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (p) {
          if (p && p.status && p.status !== initial) {
            window.location.reload();
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
})();
