// Starts Swagger UI on the API's docs page (templates/api/docs.html) from the settings the page carries as
// JSON: no inline script, so it runs under the site's Content-Security-Policy. Requests "Try it out" sends
// carry no cookie's authority: the API reads only the token given under "Authorize".
"use strict";
(function () {
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.layout = "BaseLayout";
  window.SwaggerUIBundle(settings);
})();
