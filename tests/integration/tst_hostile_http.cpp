// Hostile input on the network never hurts the process (issue: >= 100 malformed requests).
// Each gets a 4xx or a closed connection; afterwards /healthz is 200 and a payment is charged.
#include "headless_process.h"

#include <QTcpSocket>
#include <QtTest>

#include <sys/socket.h>

namespace {
struct Probe {
    QByteArray name;
    QByteArray bytes;
    bool halfClose = false;  // send, then shut our write side (a body that never comes)
};

QByteArray post(const QByteArray& path, const QByteArray& body, const QByteArray& extra = {}) {
    return "POST " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

std::vector<Probe> probes() {
    std::vector<Probe> list;
    const QList<QByteArray> badJson{"{",
                                    "}",
                                    "[",
                                    "nul",
                                    "tru",
                                    "{\"a\":}",
                                    "{\"a\" 1}",
                                    "{'a':1}",
                                    "{\"a\":1,}",
                                    "[1,2",
                                    "\"unterminated",
                                    "{\"customer_id\":\"c\"",
                                    "12e",
                                    "-",
                                    "{\"a\":NaN}",
                                    "{\"a\":Infinity}",
                                    "{\"a\":0x10}",
                                    "\x01\x02\x03",
                                    "{\"a\":\"\\u12\"}",
                                    "{\"a\":\"\\q\"}",
                                    "{,}",
                                    "[,]",
                                    "{\"a\":[}",
                                    "{\"a\":{}",
                                    ":",
                                    ",",
                                    "{}{}",
                                    "[]]",
                                    "{\"\":",
                                    "\t\n"};
    for (const QByteArray& body : badJson) {
        list.push_back({"bad json " + body.toPercentEncoding(), post("/v1/payments", body)});
    }
    for (const int depth : {100, 1000, 2000, 10000, 100000}) {
        list.push_back({"deep arrays " + QByteArray::number(depth),
                        post("/v1/payments", QByteArray(depth, '[') + QByteArray(depth, ']'))});
        QByteArray objects;
        for (int i = 0; i < depth; ++i) objects += "{\"a\":";
        objects += "1" + QByteArray(depth, '}');
        list.push_back({"deep objects " + QByteArray::number(depth), post("/v1/payments", objects)});
    }
    for (const int kib : {65, 100, 512, 1024, 4096}) {
        list.push_back({"huge body " + QByteArray::number(kib) + " KiB",
                        post("/v1/payments", QByteArray(kib * 1024, 'x'))});
        list.push_back({"huge json " + QByteArray::number(kib) + " KiB",
                        post("/v1/deployments", "{\"service\":\"" + QByteArray(kib * 1024, 'a') + "\"}")});
    }
    const QList<QByteArray> badUtf8{"\xff",
                                    "\xc3\x28",
                                    "\xa0\xa1",
                                    "\xe2\x28\xa1",
                                    "\xe2\x82\x28",
                                    "\xf0\x28\x8c\xbc",
                                    "\xf8\xa1\xa1\xa1\xa1",
                                    "\xed\xa0\x80",
                                    "\xc0\xaf",
                                    "\xef\xbf\xbe"};
    for (const QByteArray& bytes : badUtf8) {
        list.push_back(
            {"bad utf-8",
             post("/v1/payments", "{\"customer_id\":\"" + bytes +
                                      "\",\"merchant_id\":\"m\",\"amount\":\"1\",\"currency\":\"USD\"}")});
    }
    for (const int claimed : {10, 100, 1000, 100000, 2147483647}) {
        list.push_back({"lying length (short body)",
                        "POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                            QByteArray::number(claimed) + "\r\n\r\n{\"a\"",
                        true});
        list.push_back(
            {"lying length (long body)",
             "POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{\"customer_id\":\"x\"}"});
    }
    list.push_back(
        {"negative length", "POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}"});
    list.push_back(
        {"two lengths",
         "POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}"});
    for (const int kib : {40, 64, 200, 1024}) {
        list.push_back({"huge header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: " +
                                           QByteArray(kib * 1024, 'h') + "\r\n\r\n"});
        // Distinct names: Qt folds repeats of one name, so only distinct headers cost memory.
        QByteArray many;
        for (int i = 0; i < kib * 100; ++i) {
            many += "X-H" + QByteArray::number(i) + ": b\r\n";
        }
        list.push_back({"many headers", "GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"});
        list.push_back({"huge url", "GET /" + QByteArray(kib * 1024, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n"});
    }
    const QList<QByteArray> badRequests{
        "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        QByteArray("G\0T / HTTP/1.1\r\n\r\n", 18),
        "G",  // an incomplete request line: closed when idle
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        " / HTTP/1.1\r\n\r\n",
        "DELETE /v1/payments HTTP/1.1\r\nHost: x\r\n\r\n",
        "PUT /v1/deployments HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "PATCH /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        "\r\n\r\n\r\n",
        "\x7f\x7f\x7f\x7f\r\n",
        "POST /v1/payments HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
        "GET /v1/traces/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"};
    for (const QByteArray& bytes : badRequests) {
        list.push_back({"bad request " + bytes.left(24).toPercentEncoding(), bytes});
    }
    list.push_back(
        {"control with a huge token",
         post("/v1/control/load", "{}", "Authorization: Bearer " + QByteArray(60000, 't') + "\r\n")});
    list.push_back(
        {"control with bad JSON", post("/v1/control/gateway-fault", "{[", "Authorization: Bearer x\r\n")});
    return list;
}

// 4xx status, or the server closed the connection. 0 means neither happened (a failure).
int answer(quint16 port, const Probe& probe) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000)) {
        return -1;
    }
    socket.write(probe.bytes);
    socket.waitForBytesWritten(5000);
    if (probe.halfClose) {
        ::shutdown(static_cast<int>(socket.socketDescriptor()), SHUT_WR);
    }
    QByteArray received;
    for (int waited = 0; waited < 10000; waited += 100) {
        if (socket.waitForReadyRead(100)) {
            received += socket.readAll();
            if (received.contains("\r\n")) {
                return received.mid(9, 3).toInt();
            }
        }
        if (socket.state() == QAbstractSocket::UnconnectedState) {
            return 1;  // closed by the server
        }
    }
    return 0;
}
}  // namespace

class TestHostileHttp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void malformedRequestsGetA4xxOrAClosedConnection() {
        // A short idle timeout so that incomplete requests are closed quickly.
        HeadlessProcess engine({"--ephemeral", "--http-idle-timeout", "2"});
        QVERIFY2(engine.running(), engine.log().constData());
        const auto list = probes();
        QVERIFY(list.size() >= 100);
        int closed = 0;
        int rejected = 0;
        for (const Probe& probe : list) {
            const int status = answer(engine.port(), probe);
            QVERIFY2(status == 1 || (status >= 400 && status < 500),
                     qPrintable(
                         QStringLiteral("%1 → %2").arg(QString::fromUtf8(probe.name.left(80))).arg(status)));
            (status == 1 ? closed : rejected) += 1;
            QVERIFY2(engine.running(), probe.name.constData());
        }
        qInfo("%d malformed requests: %d answered 4xx, %d connections closed", static_cast<int>(list.size()),
              rejected, closed);

        QNetworkAccessManager nam;
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/healthz"))).status, 200);
        const HttpResult paid = QCoro::waitFor(
            request(nam, "POST", engine.url("/v1/payments"),
                    R"({"customer_id":"after","merchant_id":"m","amount":"5.00","currency":"USD"})"));
        QCOMPARE(paid.status, 200);
        QVERIFY(paid.body.contains("\"status\":\"charged\""));
    }
};

QTEST_GUILESS_MAIN(TestHostileHttp)
#include "tst_hostile_http.moc"
