#include "api_access.h"

#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>

namespace tai::ui {

ApiStatusIndicator::ApiStatusIndicator(std::function<ApiStatus()> source, QWidget* parent)
    : QLabel(parent), source_(std::move(source)) {
    setAccessibleName(QStringLiteral("API status"));
    setToolTip(QStringLiteral(
        "The HTTP API: its address, requests per second over the last 10 s, and the last server "
        "error. Controls → API access… shows the control token."));
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &ApiStatusIndicator::refresh);
    timer->start(1000);
    refresh();
}

void ApiStatusIndicator::refresh() {
    const ApiStatus s = source_ ? source_() : ApiStatus{};
    if (s.url.isEmpty()) {
        setText(QStringLiteral("API: off") +
                (s.lastError.isEmpty() ? QString() : QStringLiteral(" — ") + s.lastError));
        return;
    }
    setText(QStringLiteral("API %1 · %2 req/s · last error: %3")
                .arg(s.url)
                .arg(s.requestsPerSecond, 0, 'f', 1)
                .arg(s.lastError.isEmpty() ? QStringLiteral("none") : s.lastError.left(60)));
}

void showApiAccessDialog(QWidget* parent, const ApiStatus& status) {
    QDialog dialog(parent);
    dialog.setWindowTitle(QStringLiteral("API access"));
    auto* form = new QFormLayout(&dialog);
    auto* url = new QLineEdit(status.url.isEmpty() ? QStringLiteral("(not running)") : status.url, &dialog);
    url->setReadOnly(true);
    auto* token = new QLineEdit(status.token, &dialog);
    token->setReadOnly(true);
    token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    token->setAccessibleName(QStringLiteral("API token"));
    token->setMinimumWidth(420);
    auto* copy = new QPushButton(QStringLiteral("Copy"), &dialog);
    copy->setAccessibleName(QStringLiteral("Copy API token"));
    QObject::connect(copy, &QPushButton::clicked, &dialog,
                     [value = status.token] { QGuiApplication::clipboard()->setText(value); });
    auto* row = new QHBoxLayout;
    row->addWidget(token, 1);
    row->addWidget(copy);
    form->addRow(QStringLiteral("Address"), url);
    form->addRow(QStringLiteral("Control token"), row);
    form->addRow(QStringLiteral("Stored in"), new QLineEdit(status.tokenPath, &dialog));
    form->addRow(
        new QLabel(QStringLiteral("Send it as \"Authorization: Bearer <token>\" to /v1/control/…"), &dialog));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    dialog.exec();
}

}  // namespace tai::ui
