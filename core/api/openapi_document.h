#pragma once

#include <QByteArray>

namespace tai {

// The OpenAPI 3.1 description of the HTTP API, served at /v1/openapi.json: the document shipped
// as a resource (core/api/openapi.json), with info.version set to this build's version. Its
// paths are exactly the routes of api_routes.h (tst_openapi checks both ways).
QByteArray openApiDocument();

}  // namespace tai
