#include "fleet/queued_hand_off.h"

namespace tai::fleet {

QueuedHandOff::QueuedHandOff(QObject* context) : target_(std::make_shared<Target>()) {
    target_->context = context;
    // Direct: runs on the destroying thread inside ~QObject, before the object's memory goes.
    destroyed_ = QObject::connect(context, &QObject::destroyed, [target = target_] {
        std::lock_guard lock(target->mutex);
        target->context = nullptr;
    });
}

QueuedHandOff::~QueuedHandOff() {
    QObject::disconnect(destroyed_);
}

bool QueuedHandOff::deliver(std::function<void()> call) const {
    std::lock_guard lock(target_->mutex);
    if (target_->context == nullptr) {
        return false;
    }
    return QMetaObject::invokeMethod(target_->context, std::move(call), Qt::QueuedConnection);
}

}  // namespace tai::fleet
