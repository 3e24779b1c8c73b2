/**
 * The browser script of the reset page, served as a same-origin file (`script-src 'self'`
 * allows it where an inline script would be blocked). It posts the existing JSON endpoint, so
 * the reset rules (password policy, single-use token, sessions revoked) stay in one place.
 */
export const RESET_PASSWORD_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('reset');
  var message = document.getElementById('message');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = form.elements.namedItem('password').value;
    fetch(new URL('reset', location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token: form.dataset.token, password: password }),
    })
      .then(function (res) {
        if (res.status === 204) {
          form.hidden = true;
          message.textContent = 'Your password is set. You can sign in with it now.';
          return;
        }
        return res.json().then(function (problem) {
          var field = problem.errors && problem.errors[0];
          message.textContent = (field && field.message) || problem.detail || 'That did not work.';
        });
      })
      .catch(function () {
        message.textContent = 'The server could not be reached. Try again.';
      });
  });
})();
`;
