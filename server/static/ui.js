// Query UI: YASGUI pointed at our endpoint, example-query buttons and download links.
// Loaded as a file (the CSP forbids inline script); configuration comes from the
// JSON block #ui-config that the server renders.
(function () {
  "use strict";

  function start() {
    var config = JSON.parse(document.getElementById("ui-config").textContent);
    var examples = {};
    config.examples.forEach(function (e) { examples[e.name] = e; });

    // LOV autocompletion (classes, properties) calls lov.linkeddata.es: never enable it.
    var Yasqe = window.Yasgui.Yasqe;
    Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (name) {
      return name !== "property" && name !== "class";
    });
    Yasqe.defaults.prefixCcApi = null;

    var yasgui = new window.Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: config.endpoint }]; },
        keys: []
      },
      persistenceId: null,
      populateFromUrl: true,
      yasqe: {
        value: config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        prefixCcApi: null
      }
    });
    window.diplographYasgui = yasgui;

    document.querySelectorAll("button.example").forEach(function (button) {
      button.addEventListener("click", function () {
        var example = examples[button.getAttribute("data-name")];
        var tab = yasgui.getTab();
        tab.setEndpoint(config.endpoint);
        tab.setQuery(example.query);
        tab.query();
      });
    });

    document.querySelectorAll("#downloads a[data-format]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var query = yasgui.getTab().getQuery();
        link.href = config.endpoint + "?query=" + encodeURIComponent(query) +
          "&format=" + encodeURIComponent(link.getAttribute("data-format"));
        link.setAttribute("download", "results." + link.getAttribute("data-format"));
        if (!query) { event.preventDefault(); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
