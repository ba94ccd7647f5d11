# `xdpfw top` (fw/top*.c) draws with ncurses; its netns test drives it inside tmux.
DEB_PACKAGES += libncurses-dev tmux
LDLIBS += -lncurses
