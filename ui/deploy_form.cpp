#include "deploy_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tai::ui {

DeployForm::DeployForm(const QStringList& regions, QWidget* parent) : QWidget(parent) {
    auto* rows = new QVBoxLayout(this);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(2);
    auto* layout = new QHBoxLayout;
    auto* second = new QHBoxLayout;
    rows->addLayout(layout);
    rows->addLayout(second);
    service_ = new QComboBox(this);
    service_->setEditable(true);
    service_->addItems(
        {QStringLiteral("api-service"), QStringLiteral("payments-service"), QStringLiteral("web-frontend")});
    service_->setAccessibleName(QStringLiteral("Service"));
    service_->setToolTip(QStringLiteral("The service to deploy."));
    version_ = new QLineEdit(QStringLiteral("v2.0.0"), this);
    version_->setAccessibleName(QStringLiteral("Version"));
    version_->setToolTip(
        QStringLiteral("The image version; the registry holds v<major>.<minor>.<patch> of known services."));
    version_->setMinimumWidth(80);
    version_->setMaximumWidth(110);
    layout->addWidget(service_);
    layout->addWidget(version_);
    for (const QString& region : regions) {
        auto* box = new QCheckBox(region, this);
        box->setChecked(true);
        box->setToolTip(QStringLiteral("Deploy to this region; regions go one at a time in this order."));
        regions_ << box;
        second->addWidget(box);
    }
    initial_ = new QCheckBox(QStringLiteral("initial"), this);
    initial_->setToolTip(
        QStringLiteral("A first deployment: no previous stable version is needed as a rollback plan."));
    layout->addWidget(initial_);
    auto* deploy = new QPushButton(QStringLiteral("Deploy"), this);
    deploy->setObjectName(QStringLiteral("deploy"));
    deploy->setAccessibleName(QStringLiteral("Request deployment"));
    layout->addWidget(deploy);
    layout->addStretch();
    result_ = new QLabel(this);
    result_->setWordWrap(true);
    second->addWidget(result_, 1);
    connect(deploy, &QPushButton::clicked, this, [this] { Q_EMIT deploymentRequested(request()); });
}

QJsonObject DeployForm::request() const {
    QJsonArray regions;
    for (const QCheckBox* box : regions_) {
        if (box->isChecked()) {
            regions.append(box->text());
        }
    }
    QJsonObject o{{QStringLiteral("service"), service_->currentText()},
                  {QStringLiteral("version"), version_->text()}};
    if (!regions.isEmpty()) {
        o.insert(QStringLiteral("regions"), regions);
    }
    if (initial_->isChecked()) {
        o.insert(QStringLiteral("initial"), true);
    }
    return o;
}

QString DeployForm::resultText() const {
    return result_->text();
}

void DeployForm::showResult(const QString& text, bool ok) {
    result_->setText(text);
    result_->setStyleSheet(ok ? QString() : QStringLiteral("color: #d0312d;"));
}

}  // namespace tai::ui
