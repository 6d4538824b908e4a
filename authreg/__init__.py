"""authreg"""
