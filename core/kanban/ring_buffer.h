#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace tai {

// A FIFO on one growable array: push at the back, pop at the front. It grows by doubling and
// never shrinks, so once a queue has reached its working depth, pushing and popping allocate
// nothing (std::deque allocates and frees a block every few elements of a large type).
// A popped slot is reset to T{}, so it holds no references (strings, callbacks) afterwards.
template <typename T>
class RingBuffer {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    void push_back(T&& item) {
        if (size_ == slots_.size()) {
            grow();
        }
        slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(item);
        ++size_;
    }

    T& front() { return slots_[head_]; }

    void pop_front() {
        slots_[head_] = T{};
        head_ = (head_ + 1) & (slots_.size() - 1);
        --size_;
    }

private:
    void grow() {
        std::vector<T> bigger(slots_.empty() ? 16 : slots_.size() * 2);  // a power of two
        for (std::size_t i = 0; i < size_; ++i) {
            bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
        }
        slots_.swap(bigger);
        head_ = 0;
    }

    std::vector<T> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace tai
