#include "api/api_server.h"

namespace tai {

ApiRequest ApiServer::toApiRequest(const HttpRequest& request) {
    ApiRequest api;
    api.method = request.method;  // a HEAD arrives as GET; the server leaves the body off the wire
    api.path = QString::fromUtf8(request.path);
    api.query = QString::fromUtf8(request.query);
    api.headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers) {
        api.headers.insert(name, value);
    }
    api.headerBytes = request.headerBytes;
    api.body = request.body;
    return api;
}

ApiServer::ApiServer(ApiRouter& router, Options options) : router_(router) {
    HttpServer::Options http;
    http.idleTimeout = options.idleTimeout;
    http.maxConnections = options.maxConnections;
    http.maxBodyBytes = ApiRouter::kMaxBodyBytes;
    http.maxRequestLineBytes = ApiRouter::kMaxUrlBytes;
    http.maxHeaderBytes = ApiRouter::kMaxHeaderBytes;
    server_ = std::make_unique<HttpServer>(
        [this](HttpRequest request, HttpResponder responder) {
            // The router may answer at once (healthz) or later from another thread (a payment
            // answers after its commit): either way exactly once.
            auto owed = std::make_shared<HttpResponder>(std::move(responder));
            router_.handle(toApiRequest(request), [owed](HttpReply reply) {
                HttpResponse response;
                response.status = reply.status;
                response.body = std::move(reply.body);
                response.contentType = std::move(reply.contentType);
                response.headers = std::move(reply.headers);
                owed->respond(std::move(response));
            });
        },
        http);
}

ApiServer::~ApiServer() {
    stop();
}

bool ApiServer::start(const QString& address, quint16 port, QString* error) {
    return server_->listen(address, port, error);
}

void ApiServer::stop() {
    server_->stop();
}

quint16 ApiServer::port() const {
    return server_->port();
}

HttpServerStats ApiServer::stats() const {
    return server_->stats();
}

double ApiServer::requestsPerSecond() const {
    return server_->stats().requestsPerSecond;
}

QString ApiServer::lastError() const {
    return server_->stats().lastError;
}

}  // namespace tai
