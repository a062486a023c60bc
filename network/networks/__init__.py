"""Networks: the inter-municipal networks an installation hosts, their members and coordinators (issue #16)."""
